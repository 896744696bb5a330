-- Daily closing exchange rates to USD (process_central_fin_dwh.fx_rates, as the treasury loads them from each
-- central bank): one rate per currency and business day (Monday to Friday), from 2025-01-01 to the
-- extraction date. A month-end on a weekend has no rate of its own: the closing rate is the last one before.
-- Each rate is a random walk in whole basis points from the generation rate (an integer sum, so exact), with
-- a drift per currency (the naira and the cedi weaken over the year, the CFA franc follows the euro).
CREATE TABLE gen.fx_currency AS
SELECT * FROM (VALUES
  ('NGN', 1550.0, 8, 'Central Bank of Nigeria (NFEM closing rate)'),
  ('GHS',   15.5, 4, 'Bank of Ghana interbank closing rate'),
  ('XOF',  600.0, -2, 'BCEAO (EUR peg 655.957, EUR/USD closing)'),
  ('KES',  129.0, 0, 'Central Bank of Kenya mean rate'),
  ('UGX', 3700.0, 1, 'Bank of Uganda mid rate'),
  ('DZD',  134.0, 2, 'Banque d''Algérie, cours de clôture'),
  ('EGP',   49.0, 3, 'Central Bank of Egypt closing rate'),
  ('MAD',    9.9, -1, 'Bank Al-Maghrib, cours de référence')
) t(currency_code, base_rate, drift_bp, source);

CREATE TABLE process_central_fin_dwh.fx_rates AS
WITH days AS (
  SELECT DATE '2025-01-01' + CAST(d AS INTEGER) AS rate_date FROM range(375) t(d)
  WHERE isodow(DATE '2025-01-01' + CAST(d AS INTEGER)) <= 5 AND DATE '2025-01-01' + CAST(d AS INTEGER) <= DATE '2026-01-10'
), walk AS (
  SELECT c.currency_code, c.base_rate, c.source, d.rate_date,
         sum(c.drift_bp + pick(c.currency_code || CAST(d.rate_date AS VARCHAR), 'fx_step', 31) - 15)
           OVER (PARTITION BY c.currency_code ORDER BY d.rate_date) AS moved_bp
  FROM gen.fx_currency c CROSS JOIN days d
)
SELECT currency_code, 'USD' AS base_currency, rate_date,
       CAST(round(base_rate * (1 + moved_bp / 10000.0), 6) AS DECIMAL(18, 6)) AS exchange_rate,
       'closing' AS rate_type,
       source
FROM walk
ORDER BY currency_code, rate_date;
