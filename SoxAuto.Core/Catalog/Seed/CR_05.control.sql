-- CR_05 control totals: each currency's latest closing rate on or before the cutoff taken with max_by, per company.
WITH latest AS (
  SELECT r.currency_code, MAX_BY(r.exchange_rate, r.rate_date) AS closing_rate
  FROM fx_rates r
  WHERE r.base_currency = 'USD'
    AND r.rate_type = 'closing'
    AND r.rate_date <= {{period_end}}
  GROUP BY r.currency_code
)
SELECT
  c.company_code,
  COUNT(*) AS row_count,
  CAST(SUM(l.closing_rate) AS DECIMAL(18, 6)) AS closing_rate
FROM dim_company c
JOIN latest l ON l.currency_code = c.currency_code
WHERE c.company_code IN {{companies}}
GROUP BY c.company_code
ORDER BY c.company_code
