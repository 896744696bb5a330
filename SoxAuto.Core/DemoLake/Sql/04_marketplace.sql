-- The marketplace's seller accounts (process_pg_bob): sellers, their transactions and their monthly account
-- statements. A delivered marketplace item credits the seller its price less the commission; a return takes
-- both back; the marketplace team also books manual adjustments. Each month's transactions go on one
-- statement per seller, paid at the payment run of the 10th (some are held and paid at a later run).
-- What a seller is owed at a cutoff = its transactions up to the cutoff not on a statement paid by then
-- (IPE_11), which is what G/L 18304 holds (07_gl.sql posts these transactions and the payment runs).

-- The seller's share of a marketplace item's paid price; 07_gl.sql posts the same figure to 18304.
CREATE MACRO seller_share(paid_price) AS money(paid_price * 0.85);

CREATE TABLE process_pg_bob.pg_bob_seller AS
SELECT 700000 + c.company_index * 1000 + s AS seller_id,
       c.company_code AS company,
       CASE
         WHEN s % 113 = 21 THEN '"Best Price" Electronics, ' || c.city
         WHEN s % 127 = 5 THEN '=Top Deals ' || c.city
         WHEN s % 139 = 9 THEN '-50% Outlet, ' || c.city
         WHEN c.company_code = 'JM_EG' AND s % 11 = 3 THEN 'متجر الأمل ' || CAST(s AS VARCHAR)
         ELSE ['Kola', 'Amina', 'Chidi', 'Kwame', 'Fatou', 'Wanjiru', 'Okello', 'Yacine', 'Nour', 'Youssef', 'Aïcha', 'Sékou'][1 + pick(c.company_index * 1000 + s, 'sn1', 12)]
              || ' ' || ['Electronics', 'Fashion House', 'Beauty Store', 'Phones & Gadgets', 'Home Essentials', 'Trading Co.', 'Boutique', 'Kids World', 'Sports Hub', 'Librairie'][1 + pick(c.company_index * 1000 + s, 'sn2', 10)]
              || ['', ' Ltd', ' SARL', ', Ltd', ' & Sons', ' Enterprises'][1 + pick(c.company_index * 1000 + s, 'sn3', 6)]
       END AS seller_name,
       CASE WHEN u(c.company_index * 1000 + s, 'stype') < 0.3 THEN 'individual' ELSE 'business' END AS seller_type,
       CASE WHEN u(c.company_index * 1000 + s, 'payout') < 0.4 THEN 'mobile money' ELSE 'bank transfer' END AS payout_method,
       DATE '2021-01-01' + CAST(pick(c.company_index * 1000 + s, 'onboarded', 1460) AS INTEGER) AS onboarded_date,
       CAST(0.15 AS DECIMAL(5, 4)) AS commission_rate,
       c.currency_code
FROM gen.company c CROSS JOIN range(600) t(s)
ORDER BY seller_id;

-- Manual adjustments booked by the marketplace team in office hours: compensation owed to the seller
-- (positive) or fees charged to it (negative). 07_gl.sql posts each on the day it was created, or the next
-- day when it was created after the interface's 23:00 run. The one created after 23:00 is planted (below).
CREATE TABLE gen.seller_adjustment AS
SELECT 9000000000 + j AS src_key, s.seller_id, s.company, s.currency_code,
       DATE '2025-01-01' + CAST(pick(j, 'adj_day', 375) AS INTEGER) AS transaction_date,
       to_seconds(8 * 3600 + pick(j, 'adj_sec', 10 * 3600)) AS time_of_day,
       CASE WHEN u(j, 'adj_sign') < 0.6
            THEN money_in((5.0 + 75.0 * u(j, 'adj_a')) * c.rate, c.decimals)
            ELSE -money_in((2.0 + 30.0 * u(j, 'adj_a')) * c.rate, c.decimals) END AS amount,
       u(j, 'adj_sign') < 0.6 AS is_compensation,
       pick(j, 'adj_text', 3) AS text_no,
       CASE WHEN u(j, 'adj_user') < 0.5 THEN 'mp.ops@shop' ELSE 'seller.support@shop' END AS created_by
FROM range(400) t(j)
JOIN gen.company c ON u(j, 'adj_company') * (SELECT sum(weight) FROM gen.company) >= c.cum_lo AND u(j, 'adj_company') * (SELECT sum(weight) FROM gen.company) < c.cum_hi
JOIN process_pg_bob.pg_bob_seller s ON s.seller_id = 700000 + c.company_index * 1000 + pick(j, 'adj_seller', 600);

-- Planted for 2025-09 (docs/demo-lake.md, "Planted differences"): a compensation booked on 30 September at
-- 23:41, after the interface's last run of the day, so the G/L has it on 1 October: IPE_11 for JM_EG is
-- 420.50 EGP above G/L 18304 at the September cutoff (below the 1,000 threshold), and agrees again from October.
INSERT INTO gen.seller_adjustment
SELECT 9000000000 + 400, 708042, 'JM_EG', 'EGP', DATE '2025-09-30', to_seconds(23 * 3600 + 41 * 60 + 7), CAST(420.50 AS DECIMAL(18, 2)), true, 0, 'seller.support@shop';

CREATE TABLE gen.seller_txn AS
WITH items AS (
  SELECT i.*, seller_share(i.paid_price) AS share FROM process_pg_bob.rpt_soi i
  WHERE i.is_marketplace AND i.delivered_date IS NOT NULL
), t AS (
  SELECT id_sales_order_item * 10 + k AS src_key, seller_id, company, currency_code, id_sales_order_item, order_nr,
         CASE WHEN k < 2 THEN delivered_date ELSE returned_date END AS transaction_date,
         to_seconds(pick(id_sales_order_item * 10 + k, 'txn_sec', 86400)) AS time_of_day,
         ['Item Price Credit', 'Commission', 'Item Price Debit', 'Commission Refund'][k + 1] AS transaction_type,
         CAST([paid_price, share - paid_price, -paid_price, paid_price - share][k + 1] AS DECIMAL(18, 2)) AS amount,
         ['Item ' || sku || ' delivered, order ' || order_nr, 'Commission 15%, order ' || order_nr,
          'Item ' || sku || ' returned by the customer, order ' || order_nr, 'Commission reversed on return, order ' || order_nr][k + 1] AS description,
         'bob-integration' AS created_by
  FROM items CROSS JOIN range(4) r(k)
  WHERE k < 2 OR returned_date IS NOT NULL
)
SELECT * FROM t WHERE amount <> 0
UNION ALL
SELECT src_key, seller_id, company, currency_code, NULL, NULL, transaction_date, time_of_day,
       'Seller Adjustment',
       amount,
       CASE WHEN is_compensation THEN ['Compensation: item damaged in our warehouse', 'Compensation: parcel lost by the courier, "claim" approved', 'Goodwill credit, late payout'][text_no + 1]
            ELSE ['Storage fee, slow-moving stock', 'Penalty: order shipped late', '=Fee correction, listing of fake items'][text_no + 1] END,
       created_by
FROM gen.seller_adjustment;

-- One statement per seller and month, made on the 1st of the next month (so no statement exists yet for
-- January 2026 by the extraction date). Paid at the payment run of the 10th; about 4% are held (KYC, bank
-- details, a claim) and paid one or two runs later; a payment after the extraction date is not known yet.
CREATE TABLE gen.statement AS
SELECT seller_id, company, currency_code, month_start,
       CAST(last_day(month_start) AS DATE) AS period_end,
       CAST(last_day(month_start) AS DATE) + 1 AS statement_date,
       count(*) AS transaction_count, CAST(sum(amount) AS DECIMAL(18, 2)) AS total_amount,
       u(seller_id * 100 + month(month_start), 'hold') AS hold_roll
FROM (SELECT *, CAST(date_trunc('month', transaction_date) AS DATE) AS month_start FROM gen.seller_txn)
WHERE CAST(last_day(month_start) AS DATE) + 1 <= DATE '2026-01-10'
GROUP BY ALL;

CREATE TABLE process_pg_bob.pg_bob_account_statement AS
SELECT row_number() OVER (ORDER BY month_start, seller_id) + 3000000 AS account_statement_id,
       s.seller_id, s.company, s.month_start AS period_start, s.period_end, s.statement_date,
       CAST(s.transaction_count AS INTEGER) AS transaction_count, s.total_amount, s.currency_code,
       CASE WHEN p.paid_date IS NULL THEN 'on hold' ELSE 'paid' END AS status,
       CASE WHEN s.hold_roll < 0.045 THEN ['KYC documents missing', 'Bank details changed, verification', 'Open claim: counterfeit report'][1 + pick(s.seller_id * 100 + month(s.month_start), 'hold_reason', 3)] END AS hold_reason,
       p.paid_date,
       CASE WHEN p.paid_date IS NOT NULL THEN 'PO-' || c.short_code || '-' || strftime(p.paid_date, '%Y%m%d') || '-' || CAST(s.seller_id AS VARCHAR) END AS payment_reference
FROM gen.statement s
JOIN gen.company c ON c.company_code = s.company,
LATERAL (SELECT known(CAST(CASE WHEN s.hold_roll < 0.035 THEN s.statement_date + INTERVAL 1 MONTH
                                WHEN s.hold_roll < 0.045 THEN s.statement_date + INTERVAL 2 MONTH
                                ELSE s.statement_date END AS DATE) + 9) AS paid_date) p
ORDER BY account_statement_id;

CREATE TABLE process_pg_bob.pg_bob_seller_transaction AS
SELECT row_number() OVER (ORDER BY t.transaction_date, t.src_key) + 40000000 AS transaction_id,
       t.seller_id, t.company, t.transaction_date,
       CAST(t.transaction_date AS TIMESTAMP) + t.time_of_day + to_milliseconds(pick(t.src_key, 'txn_ms', 1000)) AS created_at,
       t.transaction_type, t.id_sales_order_item, t.order_nr, t.description, t.amount, t.currency_code,
       a.account_statement_id, t.created_by
FROM gen.seller_txn t
LEFT JOIN process_pg_bob.pg_bob_account_statement a
  ON a.seller_id = t.seller_id AND a.period_start = CAST(date_trunc('month', t.transaction_date) AS DATE)
ORDER BY transaction_id;
