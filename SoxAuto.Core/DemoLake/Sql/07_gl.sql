-- The general ledger of 2025, posted from the sub-ledgers above so that its balances agree with them, plus
-- ordinary operating postings. Every document balances to zero. Balances are computed from the entries.
-- Two postings are planted so that the reconciliation of 2025-09 finds differences (docs/demo-lake.md,
-- "Planted differences"): the manual journal MJ-KE-2025-09-017 below and the late seller adjustment of
-- 04_marketplace.sql; every other month-end agrees exactly with the sub-ledgers.
CREATE MACRO vat_rate(company) AS CASE company WHEN 'EC_NG' THEN 0.075 WHEN 'JD_GH' THEN 0.15 WHEN 'EC_KE' THEN 0.16
  WHEN 'JM_EG' THEN 0.14 WHEN 'EC_MA' THEN 0.20 WHEN 'JD_DZ' THEN 0.19 ELSE 0.18 END;
CREATE MACRO in_2025(d) AS d <= DATE '2025-12-31';

CREATE TABLE gen.item_gl AS
SELECT s.*, o.short_code,
       CASE WHEN NOT is_marketplace THEN money(unit_price * 0.72) ELSE CAST(0 AS DECIMAL(18,2)) END AS cost,
       CASE WHEN is_marketplace THEN seller_share(paid_price) ELSE CAST(0 AS DECIMAL(18,2)) END AS seller_share,
       shipping_amount - shipping_discount AS shipping_net
FROM process_pg_bob.rpt_soi s JOIN gen.orders o USING (id_sales_order);

-- (document, account) lines before numbering
CREATE TABLE gen.posting (
  company_code VARCHAR, posting_date DATE, document_type VARCHAR, document_no VARCHAR, gl_account_no VARCHAR,
  amount DECIMAL(18,2), description VARCHAR, source_code VARCHAR, source_type VARCHAR, source_no VARCHAR);

-- Opening balances on the first day of the lake.
INSERT INTO gen.posting
WITH o AS (
  SELECT company_code, short_code,
         money_in(2000000 * weight * rate, decimals) AS bank,
         money_in(1500000 * weight * rate, decimals) AS stock,
         -money_in(900000 * weight * rate, decimals) AS payables
  FROM gen.company
)
SELECT company_code, DATE '2025-01-01', '', 'OPEN-' || short_code || '-2025', acc, amt, 'Opening balance 2025, migrated from legacy ERP', 'OPENING', NULL, NULL
FROM o, LATERAL (VALUES ('12100', bank), ('15000', stock), ('18500', payables), ('19100', -(bank + stock + payables))) v(acc, amt);

-- Customer ledger: invoices and credit memos (receivable, revenue, VAT) and payments (bank, receivable).
INSERT INTO gen.posting
SELECT company_code, posting_date, document_type, document_no, acc, amt, description,
       CASE WHEN document_type = 'Payment' THEN 'CASHRECJNL' ELSE 'SALES' END, 'Customer', customer_no
FROM (SELECT *, money(amount / (1 + vat_rate(company_code))) AS net FROM gen.cle_numbered) c,
LATERAL (SELECT * FROM (VALUES
  (c.gl_account_no, c.amount, true),
  ('40200', -c.net, c.document_type <> 'Payment'),
  ('18600', -(c.amount - c.net), c.document_type <> 'Payment'),
  ('12100', -c.amount, c.document_type = 'Payment')) v(acc, amt, used) WHERE used);

-- Web shop, prepaid orders: the customer's payment is a prepayment (18350) until delivery or refund.
INSERT INTO gen.posting
SELECT company, order_date, 'Payment', 'WPAY-' || order_nr, acc, amt, 'Web order ' || order_nr || ' paid by ' || payment_method, 'WEBSHOP', NULL, NULL
FROM (SELECT company, order_nr, order_date, payment_method, sum(paid_price) AS paid, sum(shipping_net) AS ship
      FROM gen.item_gl WHERE is_prepayment AND in_2025(order_date) GROUP BY ALL) p,
LATERAL (SELECT * FROM (VALUES ('12110', p.paid + p.ship), ('18350', -p.paid), ('40400', -p.ship)) v(acc, amt) WHERE amt <> 0);

-- Vouchers used as payment.
INSERT INTO gen.posting
SELECT company, order_date, '', 'WVU-' || order_nr, acc, amt, 'Voucher redeemed on web order ' || order_nr, 'VOUCHER', NULL, NULL
FROM (SELECT company, order_nr, order_date, sum(coupon_discount) AS used FROM gen.item_gl
      WHERE coupon_discount > 0 AND in_2025(order_date) GROUP BY ALL) p,
LATERAL (VALUES ('18412', p.used), ('40100', -p.used)) v(acc, amt);

-- Deliveries, one document per order and delivery date: prepayment released (or COD receivable raised),
-- revenue (retail) or seller share + commission (marketplace). Cost of goods is posted monthly (below).
INSERT INTO gen.posting
SELECT company, delivered_date, 'Shipment', 'WDL-' || order_nr || '-' || strftime(delivered_date, '%m%d'), acc, sum(amt),
       'Web order ' || order_nr || ' delivered, ' || CAST(count(*) AS VARCHAR) || ' line(s)', 'WEBSHOP', NULL, NULL
FROM (
  SELECT i.*, v.acc, v.amt FROM gen.item_gl i,
  LATERAL (VALUES
    (CASE WHEN is_prepayment THEN '18350' ELSE '13005' END, paid_price + CASE WHEN is_prepayment THEN 0 ELSE shipping_net END),
    ('40400', -CASE WHEN is_prepayment THEN 0 ELSE shipping_net END),
    ('40100', -CASE WHEN is_marketplace THEN 0 ELSE paid_price END),
    ('18304', -seller_share),
    ('40300', -CASE WHEN is_marketplace THEN paid_price - seller_share ELSE 0 END)) v(acc, amt)
  WHERE delivered_date IS NOT NULL AND in_2025(delivered_date)
)
GROUP BY company, delivered_date, order_nr, acc
HAVING sum(amt) <> 0;

-- Refunds of prepaid items that never reached the customer release the prepayment.
INSERT INTO gen.posting
SELECT company, refunded_date, 'Refund', 'WRF-' || CAST(id_sales_order_item AS VARCHAR), acc, amt,
       'Refund, cancelled item of web order ' || order_nr, 'WEBSHOP', NULL, NULL
FROM gen.item_gl, LATERAL (VALUES ('18350', paid_price), ('12110', -paid_price)) v(acc, amt)
WHERE refunded_date IS NOT NULL AND delivered_date IS NULL AND in_2025(refunded_date) AND paid_price <> 0;

-- Cost of goods of the month's retail deliveries, one journal per company and month.
INSERT INTO gen.posting
SELECT company, last_day(month_start), '', 'COGS-' || short_code || '-' || strftime(month_start, '%Y-%m'), acc, amt,
       'Cost of goods sold, ' || strftime(month_start, '%B %Y') || ' deliveries', 'GENJNL', NULL, NULL
FROM (SELECT company, short_code, date_trunc('month', delivered_date) AS month_start, sum(cost) AS cost
      FROM gen.item_gl WHERE delivered_date IS NOT NULL AND in_2025(delivered_date) AND cost <> 0 GROUP BY ALL) c,
LATERAL (VALUES ('50100', c.cost), ('15000', -c.cost)) v(acc, amt);

-- Returns after delivery. Marketplace: the return creates a refund liability (18317) that the refund settles.
INSERT INTO gen.posting
SELECT company, returned_date, 'Return', 'WRT-' || CAST(id_sales_order_item AS VARCHAR), acc, amt,
       'Return received, web order ' || order_nr, 'WEBSHOP', NULL, NULL
FROM gen.item_gl, LATERAL (SELECT * FROM (VALUES
  ('18304', seller_share, is_marketplace), ('40300', paid_price - seller_share, is_marketplace), ('18317', -paid_price, is_marketplace),
  ('15000', cost, NOT is_marketplace), ('50100', -cost, NOT is_marketplace)) v(acc, amt, used) WHERE used AND amt <> 0)
WHERE returned_date IS NOT NULL AND delivered_date IS NOT NULL AND in_2025(returned_date);

INSERT INTO gen.posting
SELECT company, refunded_date, 'Refund', 'WRF-' || CAST(id_sales_order_item AS VARCHAR), acc, amt,
       'Refund of returned item, web order ' || order_nr, 'WEBSHOP', NULL, NULL
FROM gen.item_gl, LATERAL (VALUES
  (CASE WHEN is_marketplace THEN '18317' ELSE '40100' END, paid_price),
  (CASE WHEN is_prepayment THEN '12110' ELSE '12100' END, -paid_price)) v(acc, amt)
WHERE refunded_date IS NOT NULL AND delivered_date IS NOT NULL AND in_2025(refunded_date) AND paid_price <> 0;

-- Vouchers: issued (a liability), and at expiry what is left becomes income (breakage).
INSERT INTO gen.posting
SELECT v.company, v.issued_date, '', 'VIS-' || v.voucher_code, acc, amt,
       'Voucher ' || v.voucher_code || ' issued - ' || t.template_name, 'VOUCHER', NULL, NULL
FROM process_pg_bob.pg_bob_voucher v JOIN process_pg_bob.pg_bob_voucher_template t USING (template_id),
LATERAL (VALUES ('60100', v.issued_amount), ('18412', -v.issued_amount)) x(acc, amt)
WHERE in_2025(v.issued_date);

INSERT INTO gen.posting
SELECT v.company, v.expiry_date, '', 'VEX-' || v.voucher_code, acc, amt, 'Voucher ' || v.voucher_code || ' expired unused, breakage', 'VOUCHER', NULL, NULL
FROM (SELECT v.*, v.issued_amount - coalesce(i.coupon_discount, 0) AS remaining
      FROM process_pg_bob.pg_bob_voucher v LEFT JOIN process_pg_bob.rpt_soi i ON i.voucher_code = v.voucher_code) v,
LATERAL (VALUES ('18412', v.remaining), ('79100', -v.remaining)) x(acc, amt)
WHERE v.remaining > 0 AND in_2025(v.expiry_date);

-- Operating costs: purchase invoices (expense, input VAT, payable) and their payments.
CREATE TABLE gen.purchase AS
SELECT j, c.company_code, c.short_code, c.rate, c.decimals,
       DATE '2025-01-01' + CAST(pick(j, 'pi_day', 365) AS INTEGER) AS posting_date,
       ['60200', '61100', '61100', '63100', '63200', '64100', '16100', '15000'][1 + pick(j, 'pi_acc', 8)] AS expense_account,
       ['Lagos Power Distribution, Ltd', '"Speedy" Couriers', 'Société Ivoirienne d''Électricité', '=Google Ireland Ltd',
        '-Reversal: accrual Q2', 'Safaricom PLC, M-Pesa fees', 'Cloud Services EMEA SARL', 'Orange Sénégal', 'Atlas Logistique',
        'Cairo Office Rentals', 'Meta Platforms Ireland', 'Kampala Movers & Packers'][1 + pick(j, 'vendor', 12)] AS vendor,
       money_in((20.0 + 4000.0 * u(j, 'pi_a1') * u(j, 'pi_a2')) * c.rate, c.decimals) AS net
FROM range(20000) t(j)
JOIN gen.company c ON u(j, 'pi_company') * (SELECT sum(weight) FROM gen.company) >= c.cum_lo AND u(j, 'pi_company') * (SELECT sum(weight) FROM gen.company) < c.cum_hi;

INSERT INTO gen.posting
SELECT company_code, posting_date, 'Invoice', 'PI-' || short_code || '25-' || lpad(CAST(j AS VARCHAR), 6, '0'), acc, amt,
       'Purchase invoice PI-' || short_code || '25-' || lpad(CAST(j AS VARCHAR), 6, '0') || ', ' || vendor, 'PURCHASES', 'Vendor',
       'V-' || short_code || '-' || lpad(CAST(hash(vendor) % 1000 AS VARCHAR), 3, '0')
FROM (SELECT *, money(net * vat_rate(company_code)) AS vat FROM gen.purchase) p,
LATERAL (VALUES (p.expense_account, p.net), ('18600', p.vat), ('18500', -(p.net + p.vat))) v(acc, amt);

INSERT INTO gen.posting
SELECT company_code, pay_date, 'Payment', 'PP-' || short_code || '25-' || lpad(CAST(j AS VARCHAR), 6, '0'), acc, amt,
       'Payment to ' || vendor, 'PAYMENTJNL', 'Vendor', 'V-' || short_code || '-' || lpad(CAST(hash(vendor) % 1000 AS VARCHAR), 3, '0')
FROM (SELECT *, posting_date + 20 + CAST(pick(j, 'pp_days', 40) AS INTEGER) AS pay_date, net + money(net * vat_rate(company_code)) AS total
      FROM gen.purchase WHERE u(j, 'pp') < 0.9) p,
LATERAL (VALUES ('18500', p.total), ('12100', -p.total)) v(acc, amt)
WHERE in_2025(pay_date);

-- Payroll, accrued on the 25th and paid on the 28th.
INSERT INTO gen.posting
SELECT company_code, make_date(2025, CAST(m AS INTEGER), 25 + CAST(paid AS INTEGER) * 3), '', (CASE WHEN paid THEN 'PAY-' ELSE 'SAL-' END) || short_code || '-2025-' || lpad(CAST(m AS VARCHAR), 2, '0'), acc, amt,
       CASE WHEN paid THEN 'Salaries paid, ' ELSE 'Salaries, wages accrued ' END || strftime(make_date(2025, CAST(m AS INTEGER), 1), '%B %Y'), 'GENJNL', NULL, NULL
FROM (SELECT c.*, m, money_in(250000 * weight * rate * (1 + 0.01 * m), decimals) AS payroll FROM gen.company c, range(1, 13) t(m)) p,
     (VALUES (false), (true)) t(paid),
LATERAL (VALUES (CASE WHEN paid THEN '18700' ELSE '62100' END, p.payroll), (CASE WHEN paid THEN '12100' ELSE '18700' END, -p.payroll)) v(acc, amt);

-- Cash on delivery, from the cash collection sub-ledger (05_cash_collection.sql): the partners' reported
-- collections of a day (13005 -> 13001), each deposit (13001 -> 13002) and its confirmation by the bank
-- (13002 -> 12100).
INSERT INTO gen.posting
SELECT company, collected_date, 'Payment', 'CODC-' || c.short_code || '-' || strftime(collected_date, '%Y%m%d'), acc, amt,
       'COD cash collected by partner agents, in transit - ' || CAST(packages AS VARCHAR) || ' package(s) of ' || strftime(collected_date, '%d/%m/%Y'),
       'CASHRECJNL', NULL, NULL
FROM (SELECT company, collected_date, count(*) AS packages, sum(amount) AS cash
      FROM process_pg_bob.pg_bob_cashrec_transaction WHERE in_2025(collected_date) GROUP BY ALL) t
JOIN gen.company c ON c.company_code = t.company,
LATERAL (VALUES ('13001', t.cash), ('13005', -t.cash)) v(acc, amt);

INSERT INTO gen.posting
SELECT d.company, v.posting_date, 'Payment', v.doc || CAST(d.deposit_id AS VARCHAR), v.acc, v.amt, v.descr || d.deposit_slip_no || ', ' || p.partner_name,
       'CASHRECJNL', NULL, NULL
FROM process_pg_bob.pg_bob_deposit d
JOIN process_pg_bob.pg_bob_logistics_partner p ON p.partner_id = d.partner_id,
LATERAL (VALUES
  (d.deposit_date, 'CODD-', '13002', d.amount, 'COD cash deposited by partner, awaiting bank - slip '),
  (d.deposit_date, 'CODD-', '13001', -d.amount, 'COD cash deposited by partner, awaiting bank - slip '),
  (d.bank_confirmed_date, 'CODB-', '12100', d.amount, 'COD deposit confirmed on bank statement - slip '),
  (d.bank_confirmed_date, 'CODB-', '13002', -d.amount, 'COD deposit confirmed on bank statement - slip ')
) v(posting_date, doc, acc, amt, descr)
WHERE in_2025(v.posting_date);

-- At each month-end, delivered packages of an earlier month whose cash is still not reconciled are
-- reclassified from 13005 to 13024 (delivered packages, cash not reconciled); the reclass is reversed on the 1st.
INSERT INTO gen.posting
SELECT company, posting_date, '', doc || short_code || '-' || strftime(month_end, '%Y-%m'), acc, amt, descr, 'GENJNL', NULL, NULL
FROM (SELECT p.company, c.short_code, m.month_end, count(*) AS packages, sum(p.cod_amount) AS unreconciled
      FROM (SELECT CAST(last_day(make_date(2025, CAST(k AS INTEGER), 1)) AS DATE) AS month_end FROM range(1, 13) t(k)) m
      JOIN process_pg_bob.pg_bob_package_cash_rec p
        ON p.delivered_date < make_date(2025, month(m.month_end), 1) AND (p.reconciled_date IS NULL OR p.reconciled_date > m.month_end)
      JOIN gen.company c ON c.company_code = p.company
      GROUP BY ALL) r,
LATERAL (VALUES
  (month_end, 'UNREC-', '13024', unreconciled, 'Delivered packages, cash not reconciled at month-end: ' || CAST(packages AS VARCHAR) || ' package(s)'),
  (month_end, 'UNREC-', '13005', -unreconciled, 'Delivered packages, cash not reconciled at month-end: ' || CAST(packages AS VARCHAR) || ' package(s)'),
  (month_end + 1, 'UNREV-', '13024', -unreconciled, 'Reversal: delivered packages, cash not reconciled'),
  (month_end + 1, 'UNREV-', '13005', unreconciled, 'Reversal: delivered packages, cash not reconciled')
) v(posting_date, doc, acc, amt, descr)
WHERE in_2025(posting_date);

-- Stock bought each month (about what the month's deliveries cost), paid on the 15th of the next month.
INSERT INTO gen.posting
SELECT company, posting_date, doc_type, doc || short_code || '-' || strftime(month_start, '%Y-%m'), acc, amt, descr, src, 'Vendor', 'V-' || short_code || '-STOCK'
FROM (SELECT company, short_code, date_trunc('month', delivered_date) AS month_start, money(sum(cost) * 1.03) AS stock
      FROM gen.item_gl WHERE delivered_date IS NOT NULL AND in_2025(delivered_date) GROUP BY ALL) m,
LATERAL (VALUES
  (CAST(month_start AS DATE) + 4, 'Invoice', 'PIS-', '15000', stock, 'Merchandise received, supplier "Pan-African Distributors", Ltd', 'PURCHASES'),
  (CAST(month_start AS DATE) + 4, 'Invoice', 'PIS-', '18500', -stock, 'Merchandise received, supplier "Pan-African Distributors", Ltd', 'PURCHASES'),
  (CAST(month_start + INTERVAL 1 MONTH AS DATE) + 14, 'Payment', 'PPS-', '18500', stock, 'Payment to Pan-African Distributors', 'PAYMENTJNL'),
  (CAST(month_start + INTERVAL 1 MONTH AS DATE) + 14, 'Payment', 'PPS-', '12100', -stock, 'Payment to Pan-African Distributors', 'PAYMENTJNL')
) v(posting_date, doc_type, doc, acc, amt, descr, src)
WHERE in_2025(posting_date);

-- Marketplace seller adjustments (04_marketplace.sql), posted by the interface's run of the day, or of the next
-- day when booked after 23:00: compensation is a logistics cost, a fee is commission revenue.
INSERT INTO gen.posting
SELECT company, posting_date, '', 'SADJ-' || CAST(transaction_id AS VARCHAR), acc, amt,
       'Seller ' || CAST(seller_id AS VARCHAR) || ' adjustment: ' || description, 'MARKETPLACE', 'Vendor', 'S-' || CAST(seller_id AS VARCHAR)
FROM (SELECT *, CAST(created_at AS DATE) + CASE WHEN hour(created_at) >= 23 THEN 1 ELSE 0 END AS posting_date
      FROM process_pg_bob.pg_bob_seller_transaction WHERE transaction_type = 'Seller Adjustment') t,
LATERAL (VALUES ('18304', -t.amount), (CASE WHEN t.amount > 0 THEN '61100' ELSE '40300' END, t.amount)) v(acc, amt)
WHERE in_2025(posting_date);

-- Sellers are paid their account statements at the payment run of the 10th, one payment per company and run.
INSERT INTO gen.posting
SELECT s.company, s.paid_date, 'Payment', 'SPO-' || c.short_code || '-' || strftime(s.paid_date, '%Y%m%d'), acc, amt,
       'Seller payouts, payment run of ' || strftime(s.paid_date, '%d %B %Y') || ': ' || CAST(s.statements AS VARCHAR) || ' statement(s)', 'PAYMENTJNL', NULL, NULL
FROM (SELECT company, paid_date, count(*) AS statements, sum(total_amount) AS paid
      FROM process_pg_bob.pg_bob_account_statement WHERE in_2025(paid_date) GROUP BY ALL) s
JOIN gen.company c ON c.company_code = s.company,
LATERAL (VALUES ('18304', s.paid), ('12100', -s.paid)) v(acc, amt);

-- Planted for 2025-09 (docs/demo-lake.md, "Planted differences"): a manual journal on 13024 with no package
-- behind it (a shortfall the accountant estimated from a partner's e-mail), reversed on 1 October. At the
-- September cutoff G/L 13024 of EC_KE is 250,000.00 KES above IPE_12; every other month-end agrees.
INSERT INTO gen.posting VALUES
  ('EC_KE', DATE '2025-09-30', '', 'MJ-KE-2025-09-017', '13024', 250000.00, 'Manual: COD cash shortfall per partner e-mail, September (estimate)', 'GENJNL', NULL, NULL),
  ('EC_KE', DATE '2025-09-30', '', 'MJ-KE-2025-09-017', '61100', -250000.00, 'Manual: COD cash shortfall per partner e-mail, September (estimate)', 'GENJNL', NULL, NULL),
  ('EC_KE', DATE '2025-10-01', '', 'MJ-KE-2025-10-001', '13024', -250000.00, 'Reversal: COD cash shortfall per partner e-mail, September', 'GENJNL', NULL, NULL),
  ('EC_KE', DATE '2025-10-01', '', 'MJ-KE-2025-10-001', '61100', 250000.00, 'Reversal: COD cash shortfall per partner e-mail, September', 'GENJNL', NULL, NULL);

-- Gateway settlements: each day's net card and mobile-money movements (receipts less refunds) reach the
-- bank the next day, less a 2% fee on receipts.
INSERT INTO gen.posting
SELECT company_code, posting_date + 1, 'Payment', 'PGS-' || short_code || '-' || strftime(posting_date + 1, '%Y%m%d'), acc, amt,
       'Payment gateway settlement ' || strftime(posting_date, '%Y-%m-%d'), 'CASHRECJNL', NULL, NULL
FROM (SELECT *, money_in(greatest(net, 0) * 0.02, decimals) AS fee
      FROM (SELECT p.company_code, c.short_code, c.decimals, p.posting_date, sum(p.amount) AS net
            FROM gen.posting p JOIN gen.company c USING (company_code)
            WHERE p.gl_account_no = '12110' GROUP BY ALL)) s,
LATERAL (SELECT * FROM (VALUES ('12100', s.net - s.fee), ('64100', s.fee), ('12110', -s.net)) v(acc, amt) WHERE amt <> 0)
WHERE in_2025(posting_date + 1);

CREATE TABLE process_central_fin_dwh.gl_entries AS
WITH n AS (
  SELECT row_number() OVER (ORDER BY posting_date, company_code, document_no, gl_account_no, amount) AS seq, p.*
  FROM gen.posting p
)
SELECT 1000000 + seq AS entry_no, company_code, gl_account_no, posting_date, document_type, document_no, description,
       amount,
       CASE WHEN amount > 0 THEN amount ELSE CAST(0 AS DECIMAL(18,2)) END AS debit_amount,
       CASE WHEN amount < 0 THEN -amount ELSE CAST(0 AS DECIMAL(18,2)) END AS credit_amount,
       source_code, source_type, source_no,
       CASE WHEN source_code IN ('WEBSHOP', 'VOUCHER', 'MARKETPLACE') THEN 'BOB-INTEGRATION'
            WHEN source_code = 'OPENING' THEN 'CORP\MIGRATION'
            ELSE ['CORP\A.OKAFOR', 'CORP\K.MENSAH', 'CORP\F.DIALLO', 'CORP\W.NJOROGE', 'CORP\S.BENALI', 'NAV-SERVICE'][1 + pick(document_no, 'user', 6)] END AS user_id,
       CAST(posting_date AS TIMESTAMP) + to_seconds(pick(document_no, 'sec', 86400)) + to_milliseconds(pick(document_no, 'ms', 1000)) AS system_created_at
FROM n
ORDER BY entry_no;

-- Balances per company, account and month, computed from the entries (zero rows included, so every month has an opening).
CREATE TABLE process_central_fin_dwh.gl_balances AS
WITH grid AS (
  SELECT c.company_code, a.gl_account_no, m AS fiscal_month
  FROM process_central_fin_dwh.dim_company c, process_central_fin_dwh.chart_of_accounts a, range(1, 13) t(m)
), moves AS (
  SELECT company_code, gl_account_no, month(posting_date) AS fiscal_month, sum(debit_amount) AS debit, sum(credit_amount) AS credit, sum(amount) AS net
  FROM process_central_fin_dwh.gl_entries GROUP BY ALL
), b AS (
  SELECT g.*, coalesce(m.debit, 0) AS debit, coalesce(m.credit, 0) AS credit, coalesce(m.net, 0) AS net,
         sum(coalesce(m.net, 0)) OVER (PARTITION BY g.company_code, g.gl_account_no ORDER BY g.fiscal_month) AS closing
  FROM grid g LEFT JOIN moves m USING (company_code, gl_account_no, fiscal_month)
)
SELECT company_code, gl_account_no, 2025 AS fiscal_year, CAST(fiscal_month AS INTEGER) AS fiscal_month,
       last_day(make_date(2025, CAST(fiscal_month AS INTEGER), 1)) AS month_end_date,
       CAST(closing - net AS DECIMAL(18,2)) AS opening_balance,
       CAST(debit AS DECIMAL(18,2)) AS debit_amount, CAST(credit AS DECIMAL(18,2)) AS credit_amount,
       CAST(net AS DECIMAL(18,2)) AS net_change, CAST(closing AS DECIMAL(18,2)) AS closing_balance
FROM b
ORDER BY company_code, gl_account_no, fiscal_month;
