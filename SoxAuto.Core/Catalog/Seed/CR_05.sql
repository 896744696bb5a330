-- CR_05: month-end FX closing rates to USD, per company: the rate of the company's currency on the cutoff, or
-- on the last business day before it when the cutoff has no rate (a weekend), in local currency per 1 USD.
-- A USD amount is the local amount divided by closing_rate.
WITH closing AS (
  SELECT r.currency_code, MAX(r.rate_date) AS rate_date
  FROM fx_rates r
  WHERE r.base_currency = 'USD'
    AND r.rate_type = 'closing'
    AND r.rate_date <= {{period_end}}
  GROUP BY r.currency_code
)
SELECT
  c.company_code,
  c.company_name,
  c.currency_code,
  r.base_currency,
  {{period_end}} AS closing_date,
  r.rate_date,
  r.exchange_rate AS closing_rate,
  r.source
FROM dim_company c
JOIN closing cl ON cl.currency_code = c.currency_code
JOIN fx_rates r ON r.currency_code = cl.currency_code AND r.rate_date = cl.rate_date
  AND r.base_currency = 'USD' AND r.rate_type = 'closing'
WHERE c.company_code IN {{companies}}
ORDER BY c.company_code
