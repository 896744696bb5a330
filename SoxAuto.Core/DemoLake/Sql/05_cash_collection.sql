-- Cash on delivery (process_pg_bob): the collection partners' agents deliver a package and collect its cash,
-- report it (a cash-rec transaction, which reconciles the package), hand the day's cash in on a packlist and
-- deposit it at the bank; the bank then confirms the deposit. 07_gl.sql posts each step:
--   delivery: 13005 (cash on delivery receivable) | collection: 13005 -> 13001 (cash in transit)
--   deposit: 13001 -> 13002 (deposits in transit) | bank confirmation: 13002 -> 12100 (bank)
-- and at each month-end reclassifies packages delivered in an earlier month and still not reconciled from
-- 13005 to 13024 (reversed on the 1st). IPE_12 lists the unreconciled packages, IPE_31 the cash in transit.

CREATE TABLE process_pg_bob.pg_bob_logistics_partner AS
SELECT c.company_index * 10 + k AS partner_id, c.company_code AS company,
       CASE WHEN k = 0 THEN c.city || ' Express Couriers'
            WHEN c.company_code = 'EC_IC' THEN 'Coursiers "Rapides" d''Abidjan, SARL'
            ELSE 'LastMile ' || c.country_name || ' Ltd' END AS partner_name,
       CASE WHEN k = 0 THEN 0.65 ELSE 0.35 END AS share_of_packages,
       c.currency_code
FROM gen.company c CROSS JOIN range(2) t(k)
ORDER BY partner_id;

-- One package per order: its delivered cash-on-delivery items (all items of an order are delivered the same
-- day), with the cash to collect. Packages with nothing to collect (paid by voucher) are not in cash rec.
-- Collection: 90% two days after delivery, 7% within 3-12 days, 2.5% within 13-75 days, 0.5% never
-- (disputed); a collection after the extraction date is not known yet.
CREATE TABLE gen.package AS
SELECT i.id_sales_order, i.order_nr, i.company, i.currency_code, i.delivered_date,
       count(*) AS item_count,
       CAST(sum(i.paid_price + i.shipping_amount - i.shipping_discount) AS DECIMAL(18, 2)) AS cod_amount,
       c.company_index * 10 + CASE WHEN u(i.id_sales_order, 'partner') < 0.65 THEN 0 ELSE 1 END AS partner_id,
       c.short_code,
       u(i.id_sales_order, 'cash_delay') AS delay_roll
FROM process_pg_bob.rpt_soi i JOIN gen.company c ON c.company_code = i.company
WHERE i.payment_method = 'CashOnDelivery' AND i.delivered_date IS NOT NULL
GROUP BY ALL
HAVING sum(i.paid_price + i.shipping_amount - i.shipping_discount) <> 0;

CREATE TABLE gen.collection AS
SELECT *,
       known(CASE WHEN delay_roll < 0.90 THEN delivered_date + 2
                  WHEN delay_roll < 0.97 THEN delivered_date + 3 + CAST(pick(id_sales_order, 'late', 10) AS INTEGER)
                  WHEN delay_roll < 0.995 THEN delivered_date + 13 + CAST(pick(id_sales_order, 'very_late', 63) AS INTEGER)
             END) AS collected_date
FROM gen.package;

-- Packlists: a partner's cash collected on one day; deposited the next day (Sunday: Monday), 5% a few days
-- late; the bank confirms the next business day, 6% one to three days later.
CREATE TABLE gen.packlist AS
SELECT row_number() OVER (ORDER BY collected_date, partner_id) + 100000 AS packlist_id, *,
       known(CASE WHEN u(pk, 'dep_late') < 0.05 THEN base_deposit + 2 + CAST(pick(pk, 'dep_days', 4) AS INTEGER) ELSE base_deposit END) AS deposit_date
FROM (SELECT company, partner_id, short_code, currency_code, collected_date, count(*) AS transaction_count, sum(cod_amount) AS amount,
             partner_id * 1000 + date_diff('day', DATE '2025-01-01', collected_date) AS pk,
             collected_date + CASE WHEN isodow(collected_date + 1) = 7 THEN 2 ELSE 1 END AS base_deposit
      FROM gen.collection WHERE collected_date IS NOT NULL GROUP BY ALL);

CREATE TABLE process_pg_bob.pg_bob_deposit AS
SELECT row_number() OVER (ORDER BY deposit_date, partner_id) + 800000 AS deposit_id,
       company, partner_id,
       'DS-' || short_code || '-' || strftime(deposit_date, '%y%m%d') || '-' || CAST(partner_id % 10 + 1 AS VARCHAR) AS deposit_slip_no,
       deposit_date,
       CAST(count(*) AS INTEGER) AS packlist_count,
       CAST(sum(amount) AS DECIMAL(18, 2)) AS amount,
       known(CASE WHEN u(partner_id * 1000 + date_diff('day', DATE '2025-01-01', deposit_date), 'bank_late') < 0.06
                  THEN confirm_base + 1 + CAST(pick(partner_id * 1000 + date_diff('day', DATE '2025-01-01', deposit_date), 'bank_days', 3) AS INTEGER)
                  ELSE confirm_base END) AS bank_confirmed_date,
       currency_code
FROM (SELECT *, deposit_date + CASE isodow(deposit_date) WHEN 5 THEN 3 WHEN 6 THEN 2 ELSE 1 END AS confirm_base FROM gen.packlist)
WHERE deposit_date IS NOT NULL
GROUP BY company, partner_id, short_code, deposit_date, confirm_base, currency_code
ORDER BY deposit_id;

CREATE TABLE process_pg_bob.pg_bob_packlist AS
SELECT p.packlist_id, p.company, p.partner_id, p.collected_date,
       CAST(p.transaction_count AS INTEGER) AS transaction_count, CAST(p.amount AS DECIMAL(18, 2)) AS amount,
       d.deposit_id, p.currency_code
FROM gen.packlist p
LEFT JOIN process_pg_bob.pg_bob_deposit d ON d.partner_id = p.partner_id AND d.deposit_date = p.deposit_date
ORDER BY p.packlist_id;

CREATE TABLE process_pg_bob.pg_bob_cashrec_transaction AS
SELECT row_number() OVER (ORDER BY c.collected_date, c.id_sales_order) + 7000000 AS cashrec_id,
       c.company, c.partner_id,
       'AG-' || c.short_code || '-' || lpad(CAST(1 + pick(c.id_sales_order, 'agent', 40) AS VARCHAR), 3, '0') AS agent_code,
       'PK' || c.order_nr AS package_id, c.order_nr, c.collected_date,
       CAST(c.collected_date AS TIMESTAMP) + to_seconds(9 * 3600 + pick(c.id_sales_order, 'collect_sec', 11 * 3600)) AS collected_at,
       c.cod_amount AS amount, p.packlist_id, c.currency_code
FROM gen.collection c
JOIN gen.packlist p ON p.partner_id = c.partner_id AND p.collected_date = c.collected_date
WHERE c.collected_date IS NOT NULL
ORDER BY cashrec_id;

CREATE TABLE process_pg_bob.pg_bob_package_cash_rec AS
SELECT 'PK' || c.order_nr AS package_id, c.company, c.id_sales_order, c.order_nr, c.partner_id, c.delivered_date,
       CAST(c.item_count AS INTEGER) AS item_count, c.cod_amount, t.cashrec_id,
       c.collected_date AS reconciled_date,
       CASE WHEN c.collected_date IS NOT NULL THEN 'reconciled'
            WHEN c.delay_roll >= 0.995 THEN 'disputed'
            ELSE 'pending' END AS rec_status,
       c.currency_code
FROM gen.collection c
LEFT JOIN process_pg_bob.pg_bob_cashrec_transaction t ON t.order_nr = c.order_nr
ORDER BY package_id;
