-- The demo lake, step 1 of 7: reference data (companies, chart of accounts, products, voucher templates).
-- Rules for these scripts, so that every run on every machine writes the same bytes:
--   * pseudo-randomness is hash(i, 'salt') over range(), never random(): independent of threads and order;
--   * only + - * / and round() on doubles (IEEE-exact everywhere), no exp/ln/sin whose libm results may differ;
--   * every published table is created with ORDER BY on a unique key.
-- DemoLakeGenerator runs one statement at a time: a statement ends with ';' at the end of a line
-- (a comment line never ends a statement). Tables in the schemas process_central_fin_dwh and process_pg_bob
-- become Parquet files; the schema gen holds scratch tables.
CREATE MACRO u(i, salt) AS (hash(i, salt) % 1000000)::DOUBLE / 1000000.0;
CREATE MACRO pick(i, salt, n) AS (hash(i, salt) % (n)::UBIGINT)::BIGINT;
CREATE MACRO money(x) AS CAST(round(x, 2) AS DECIMAL(18,2));
CREATE MACRO money_in(x, decimals) AS CAST(round(CAST(x AS DOUBLE), decimals) AS DECIMAL(18,2));

CREATE SCHEMA process_central_fin_dwh;
CREATE SCHEMA process_pg_bob;
CREATE SCHEMA gen;

-- weight = share of web-shop volume, rate = local currency per USD (generation only),
-- cod = share of cash-on-delivery orders; decimals = how prices are rounded locally.
CREATE TABLE gen.company AS
SELECT *, sum(weight) OVER (ORDER BY company_index) - weight AS cum_lo, sum(weight) OVER (ORDER BY company_index) AS cum_hi
FROM (VALUES
  (1, 'EC_NG', 'NG', 'E-Commerce Nigeria Ltd',              'NG', 'Nigeria',       'NGN', 1550.0, 0.22, 0.45, 0, 'Lagos'),
  (2, 'JD_GH', 'GH', 'JD Ghana Ltd',                         'GH', 'Ghana',         'GHS',   15.5, 0.08, 0.40, 2, 'Accra'),
  (3, 'EC_IC', 'IC', 'E-Commerce Côte d''Ivoire SARL',       'CI', 'Côte d''Ivoire', 'XOF',  600.0, 0.09, 0.55, 0, 'Abidjan'),
  (4, 'HF_SN', 'SN', 'HF Sénégal SA',                        'SN', 'Sénégal',       'XOF',  600.0, 0.07, 0.55, 0, 'Dakar'),
  (5, 'EC_KE', 'KE', 'E-Commerce Kenya Ltd',                 'KE', 'Kenya',         'KES',  129.0, 0.12, 0.30, 0, 'Nairobi'),
  (6, 'JD_UG', 'UG', 'JD Uganda Ltd',                        'UG', 'Uganda',        'UGX', 3700.0, 0.07, 0.35, 0, 'Kampala'),
  (7, 'JD_DZ', 'DZ', 'JD Algérie SPA',                       'DZ', 'Algérie',       'DZD',  134.0, 0.08, 0.80, 0, 'Alger'),
  (8, 'JM_EG', 'EG', 'JM Egypt LLC',                         'EG', 'Egypt',         'EGP',   49.0, 0.16, 0.60, 2, 'Cairo'),
  (9, 'EC_MA', 'MA', 'E-Commerce Maroc SARL',                'MA', 'Maroc',         'MAD',    9.9, 0.11, 0.60, 2, 'Casablanca')
) t(company_index, company_code, short_code, company_name, country_code, country_name, currency_code, rate, weight, cod, decimals, city);

CREATE TABLE process_central_fin_dwh.dim_company AS
SELECT company_code, company_name, country_code, country_name, currency_code, city AS head_office_city,
       DATE '2025-01-01' AS lake_start_date
FROM gen.company ORDER BY company_code;

CREATE TABLE process_central_fin_dwh.chart_of_accounts AS
SELECT gl_account_no, account_name, account_type, account_category, group_account_no, group_account_name
FROM (VALUES
  ('12100', 'Bank - main operating account',                 'Balance Sheet', 'Asset',     'BS-120', 'Cash and cash equivalents'),
  ('12110', 'Bank - payment gateway clearing',               'Balance Sheet', 'Asset',     'BS-120', 'Cash and cash equivalents'),
  ('13001', 'Collection partners - cash in transit',         'Balance Sheet', 'Asset',     'BS-130', 'Trade and other receivables'),
  ('13002', 'Collection partners - deposits in transit',     'Balance Sheet', 'Asset',     'BS-130', 'Trade and other receivables'),
  ('13003', 'Trade receivables - B2B customers',             'Balance Sheet', 'Asset',     'BS-130', 'Trade and other receivables'),
  ('13004', 'Trade receivables - corporate customers',       'Balance Sheet', 'Asset',     'BS-130', 'Trade and other receivables'),
  ('13005', 'Cash on delivery receivable - logistics',       'Balance Sheet', 'Asset',     'BS-130', 'Trade and other receivables'),
  ('13009', 'Receivables - staff and other customers',       'Balance Sheet', 'Asset',     'BS-130', 'Trade and other receivables'),
  ('13024', 'Delivered packages - cash not reconciled',      'Balance Sheet', 'Asset',     'BS-130', 'Trade and other receivables'),
  ('15000', 'Inventory - merchandise',                       'Balance Sheet', 'Asset',     'BS-150', 'Inventories'),
  ('16100', 'Prepaid expenses',                              'Balance Sheet', 'Asset',     'BS-160', 'Prepayments and other assets'),
  ('18304', 'Marketplace sellers - amounts due',             'Balance Sheet', 'Liability', 'BS-183', 'Marketplace liabilities'),
  ('18317', 'Marketplace refund liability',                  'Balance Sheet', 'Liability', 'BS-183', 'Marketplace liabilities'),
  ('18350', 'Customer prepayments',                          'Balance Sheet', 'Liability', 'BS-184', 'Contract liabilities'),
  ('18412', 'Store credit vouchers',                         'Balance Sheet', 'Liability', 'BS-184', 'Contract liabilities'),
  ('18500', 'Trade payables - suppliers',                    'Balance Sheet', 'Liability', 'BS-185', 'Trade payables'),
  ('18600', 'VAT payable',                                   'Balance Sheet', 'Liability', 'BS-186', 'Tax liabilities'),
  ('18700', 'Accrued expenses, other payables',              'Balance Sheet', 'Liability', 'BS-187', 'Accruals'),
  ('19100', 'Retained earnings',                             'Balance Sheet', 'Equity',    'BS-190', 'Equity'),
  ('40100', 'Revenue - retail sales',                        'Income Statement', 'Revenue', 'PL-400', 'Revenue'),
  ('40200', 'Revenue - B2B sales',                           'Income Statement', 'Revenue', 'PL-400', 'Revenue'),
  ('40300', 'Revenue - marketplace commissions',             'Income Statement', 'Revenue', 'PL-400', 'Revenue'),
  ('40400', 'Revenue - shipping fees',                       'Income Statement', 'Revenue', 'PL-400', 'Revenue'),
  ('50100', 'Cost of goods sold',                            'Income Statement', 'Expense', 'PL-500', 'Cost of sales'),
  ('60100', 'Marketing - vouchers and promotions',           'Income Statement', 'Expense', 'PL-600', 'Marketing'),
  ('60200', 'Marketing - online advertising',                'Income Statement', 'Expense', 'PL-600', 'Marketing'),
  ('61100', 'Logistics - last-mile delivery',                'Income Statement', 'Expense', 'PL-610', 'Fulfilment'),
  ('62100', 'Staff costs - salaries, wages',                 'Income Statement', 'Expense', 'PL-620', 'Staff costs'),
  ('63100', 'Rent, utilities and facilities',                'Income Statement', 'Expense', 'PL-630', 'General and administrative'),
  ('63200', 'IT and software',                               'Income Statement', 'Expense', 'PL-630', 'General and administrative'),
  ('64100', 'Payment processing fees',                       'Income Statement', 'Expense', 'PL-640', 'Payment costs'),
  ('79100', 'Other income - voucher breakage',               'Income Statement', 'Revenue', 'PL-790', 'Other income')
) t(gl_account_no, account_name, account_type, account_category, group_account_no, group_account_name)
ORDER BY gl_account_no;

-- 2,000 products; awkward names on purpose (commas, inch marks, accents, a leading '-' or '=').
CREATE TABLE gen.product AS
SELECT p AS product_no,
       'SKU-' || lpad(CAST(p AS VARCHAR), 5, '0') AS sku,
       [ 'Samsung 55" UHD TV, 4K', 'Infinix Hot 40i, 128GB', 'Tecno Spark 20 - Gravity Black', 'Crème hydratante Karité 250ml',
         'Nivea Men, Deep Clean "Active"', 'Oraimo FreePods 4', 'Hisense 2-door fridge, 270L', 'Binatone blender 1.5L',
         'Pampers Baby-Dry, size 4 (x64)', 'Indomie Chicken 70g, carton of 40', 'Thé vert à la menthe, 500g', 'Couscous fin 1kg',
         '-20% bundle: iron + kettle', '=Mega Deal rice 25kg', 'HP 15" laptop, Core i5, 8GB', 'Ankara fabric 6 yards',
         'Adidas Ultraboost, size 42', 'Lipton Yellow Label 100 bags', 'Royco cubes (pack of 50)', 'Peak milk powder 900g',
         'Sokany hair clipper', 'Nasco 32" LED TV', 'Mango juice 1L, "no sugar added"', 'Ghee pur beurre 800g',
         'Huile d''argan cosmétique 100ml', 'Écouteurs Bluetooth sport', 'Mop & bucket set', 'Solar lantern, USB charging',
         'Kiddies school bag, blue', 'Gas cooker 4 burners', 'Power bank 20000mAh', 'Arabic coffee قهوة 250g',
         'Baby wipes, 72 pcs', 'Football, size 5', 'Men''s kaftan, XL', 'Office chair, ergonomic',
         'Standing fan 16"', 'Rice cooker 1.8L', 'Smartwatch T500', 'Ceiling paint 20L, white'
       ][1 + p % 40] AS item_name,
       3.0 + 297.0 * u(p, 'price') * u(p, 'price2') AS usd_price
FROM range(2000) t(p);

-- Six voucher templates per company.
CREATE TABLE process_pg_bob.pg_bob_voucher_template AS
SELECT c.company_index * 100 + t.k AS template_id,
       c.company_code AS company,
       t.template_name,
       t.voucher_type,
       money_in(t.usd_value * c.rate, c.decimals) AS face_value,
       c.currency_code,
       t.validity_days,
       t.k <> 5 AS is_active
FROM gen.company c
CROSS JOIN (VALUES
  (0, 'Welcome voucher - new app users', 'marketing', 2.0, 30),
  (1, 'Black Friday, "Mega" deal', 'marketing', 10.0, 60),
  (2, 'Store credit (refund)', 'store credit', 20.0, 365),
  (3, 'Loyalty reward – gold tier', 'loyalty', 5.0, 180),
  (4, 'Customer service goodwill, late delivery', 'store credit', 5.0, 90),
  (5, '=Partner promo (retired)', 'marketing', 50.0, 90)
) t(k, template_name, voucher_type, usd_value, validity_days)
ORDER BY template_id;
