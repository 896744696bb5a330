-- B2B customers and their ledger (Dynamics NAV style): ledger entries plus detailed entries, whose sum up to
-- a date is an entry's remaining amount at that date. Finance data covers calendar year 2025.
CREATE TABLE process_central_fin_dwh.customers AS
WITH base AS (
  SELECT c.*, n, c.company_index * 1000 + n AS k
  FROM gen.company c CROSS JOIN range(400) t(n)
)
SELECT short_code || '-C' || lpad(CAST(n + 1 AS VARCHAR), 5, '0') AS customer_no,
       company_code,
       CASE
         WHEN n % 97 = 13 THEN '"Le Palmier" Supermarché, ' || city
         WHEN n % 131 = 7 THEN '=Mega Deals ' || city || ' Ltd'
         WHEN n % 149 = 11 THEN '-Minus Retail, ' || city
         WHEN company_code = 'JM_EG' AND n % 9 = 4 THEN 'شركة النيل للتجارة ' || CAST(n AS VARCHAR)
         ELSE ['Baobab', 'Kilimanjaro', 'Sahel', 'Atlas', 'Volta', 'Nile', 'Sahara', 'Savanna', 'Teranga', 'Ubuntu', 'Harmattan', 'Zénith'][1 + pick(k, 'cn1', 12)]
              || ' ' || ['Trading', 'Supplies', 'Ventures', 'Distribution', 'Logistics', 'Pharma', 'Électronique', 'Hôtels', 'Foods', 'Office Solutions'][1 + pick(k, 'cn2', 10)]
              || ['', ' Ltd', ' SARL', ', Ltd', ' & Sons', ' PLC', ' Enterprises, Inc.'][1 + pick(k, 'cn3', 7)]
       END AS customer_name,
       CASE WHEN u(k, 'grp') < 0.55 THEN 'B2B' WHEN u(k, 'grp') < 0.85 THEN 'CORPORATE' ELSE 'OTHER' END AS customer_posting_group,
       CASE WHEN u(k, 'grp') < 0.55 THEN '13003' WHEN u(k, 'grp') < 0.85 THEN '13004' ELSE '13009' END AS receivables_account,
       [15, 30, 45, 60][1 + pick(k, 'terms', 4)] AS payment_terms_days,
       country_code,
       city,
       CASE WHEN u(k, 'vat') < 0.7 THEN country_code || lpad(CAST(pick(k, 'vatno', 100000000) AS VARCHAR), 9, '0') END AS vat_registration_no,
       DATE '2019-01-01' + CAST(pick(k, 'since', 2190) AS INTEGER) AS created_date,
       u(k, 'blocked') < 0.03 AS blocked
FROM base
ORDER BY customer_no;

CREATE TABLE gen.customer AS
SELECT row_number() OVER (ORDER BY customer_no) - 1 AS customer_index, cu.*, c.rate, c.decimals, c.currency_code, c.short_code
FROM process_central_fin_dwh.customers cu JOIN gen.company c USING (company_code);

-- Invoices, with what happens to them: paid in full, partly, or not at all (payment after 2025 is not in the lake).
CREATE TABLE gen.invoice AS
WITH base AS (
  SELECT i, c.*,
         DATE '2025-01-01' + CAST(pick(i, 'inv_day', 365) AS INTEGER) AS posting_date,
         money_in((100.0 + 9900.0 * u(i, 'a1') * u(i, 'a2') * u(i, 'a3')) * c.rate, c.decimals) AS amount,
         u(i, 'pay') AS pay_roll
  FROM range(55000) t(i)
  JOIN gen.customer c ON c.customer_index = pick(i, 'inv_cust', 3600)
)
SELECT *,
       posting_date + payment_terms_days AS due_date,
       CASE WHEN pay_roll < 0.07 THEN 0.0 WHEN pay_roll < 0.17 THEN 0.5 + 0.4 * u(i, 'part') ELSE 1.0 END AS paid_share,
       greatest(posting_date + payment_terms_days - 10 + CAST(pick(i, 'delay', 55) AS INTEGER), posting_date + 1) AS pay_date
FROM base;

CREATE TABLE gen.cle AS
SELECT * FROM (
  SELECT company_code, customer_no, receivables_account AS gl_account_no, currency_code, posting_date,
         'Invoice' AS document_type,
         'SI-' || short_code || '25-' || lpad(CAST(i AS VARCHAR), 6, '0') AS document_no,
         'Invoice ' || 'SI-' || short_code || '25-' || lpad(CAST(i AS VARCHAR), 6, '0') || ', ' || customer_name AS description,
         amount, due_date,
         CASE WHEN u(i, 'po') < 0.6 THEN 'PO ' || CAST(pick(i, 'pono', 90000) + 10000 AS VARCHAR)
              WHEN u(i, 'po') < 0.62 THEN 'PO "urgent", ref ' || CAST(pick(i, 'pono', 900) AS VARCHAR) END AS external_document_no,
         i AS source_key
  FROM gen.invoice
  UNION ALL
  SELECT company_code, customer_no, receivables_account, currency_code, pay_date, 'Payment',
         'PMT-' || short_code || '25-' || lpad(CAST(i AS VARCHAR), 6, '0'),
         'Payment received, invoice SI-' || short_code || '25-' || lpad(CAST(i AS VARCHAR), 6, '0'),
         -money_in(amount * paid_share, decimals), pay_date, NULL, 100000 + i
  FROM gen.invoice WHERE paid_share > 0 AND pay_date <= DATE '2025-12-31'
  UNION ALL
  SELECT company_code, customer_no, receivables_account, currency_code, posting_date + 5 + CAST(pick(i, 'cm_day', 35) AS INTEGER), 'Credit Memo',
         'SCM-' || short_code || '25-' || lpad(CAST(i AS VARCHAR), 6, '0'),
         'Credit memo for SI-' || short_code || '25-' || lpad(CAST(i AS VARCHAR), 6, '0') || ' - returned goods, "damaged"',
         -money_in(amount * (0.1 + 0.9 * u(i, 'cm_share')), decimals), posting_date + 5 + CAST(pick(i, 'cm_day', 35) AS INTEGER), NULL, 200000 + i
  FROM gen.invoice WHERE u(i, 'cm') < 0.04 AND posting_date + 40 <= DATE '2025-12-31'
  UNION ALL
  SELECT c.company_code, c.customer_no, c.receivables_account, c.currency_code, DATE '2025-01-01' + CAST(pick(j, 'poa_day', 365) AS INTEGER), 'Payment',
         'PMT-' || c.short_code || '25-A' || lpad(CAST(j AS VARCHAR), 5, '0'),
         'Payment on account - unallocated',
         -money_in((50.0 + 2000.0 * u(j, 'poa_amt')) * c.rate, c.decimals), DATE '2025-01-01' + CAST(pick(j, 'poa_day', 365) AS INTEGER), NULL, 300000 + j
  FROM range(1500) t(j) JOIN gen.customer c ON c.customer_index = pick(j, 'poa_cust', 3600)
) WHERE posting_date <= DATE '2025-12-31';

CREATE TABLE gen.cle_numbered AS
SELECT row_number() OVER (ORDER BY posting_date, document_no) + 100000 AS entry_no,
       company_code, customer_no, posting_date, document_type, document_no, description, gl_account_no, currency_code,
       amount, due_date, external_document_no,
       ['CORP\A.OKAFOR', 'CORP\K.MENSAH', 'CORP\F.DIALLO', 'CORP\W.NJOROGE', 'CORP\S.BENALI', 'NAV-SERVICE'][1 + pick(source_key, 'user', 6)] AS user_id,
       CAST(posting_date AS TIMESTAMP) + to_seconds(28800 + pick(source_key, 'sec', 36000)) + to_milliseconds(pick(source_key, 'ms', 1000)) AS created_at,
       source_key
FROM gen.cle
ORDER BY entry_no;

CREATE TABLE process_central_fin_dwh.cust_ledger_entries AS
SELECT * EXCLUDE (source_key) FROM gen.cle_numbered ORDER BY entry_no;

-- Detailed entries: one initial entry per ledger entry, and a pair of applications when a payment settles an invoice.
CREATE TABLE process_central_fin_dwh.dtld_cust_ledger_entries AS
WITH d AS (
  SELECT entry_no AS cust_ledger_entry_no, company_code, customer_no, 'Initial Entry' AS entry_type, posting_date, document_no, amount, 0 AS seq
  FROM gen.cle_numbered
  UNION ALL
  -- the payment reduces the invoice ...
  SELECT inv.entry_no, inv.company_code, inv.customer_no, 'Application', pmt.posting_date, pmt.document_no, pmt.amount, 1
  FROM gen.cle_numbered pmt
  JOIN gen.cle_numbered inv ON inv.source_key = pmt.source_key - 100000
  WHERE pmt.source_key BETWEEN 100000 AND 199999
  UNION ALL
  -- ... and is itself closed by the same amount
  SELECT pmt.entry_no, pmt.company_code, pmt.customer_no, 'Application', pmt.posting_date, pmt.document_no, -pmt.amount, 2
  FROM gen.cle_numbered pmt
  WHERE pmt.source_key BETWEEN 100000 AND 199999
)
SELECT row_number() OVER (ORDER BY posting_date, cust_ledger_entry_no, seq) + 500000 AS entry_no,
       cust_ledger_entry_no, company_code, customer_no, entry_type, posting_date, document_no, CAST(amount AS DECIMAL(18,2)) AS amount
FROM d
ORDER BY entry_no;
