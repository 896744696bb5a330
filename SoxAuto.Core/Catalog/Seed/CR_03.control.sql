-- CR_03 control totals, from the G/L entries alone (no join to the chart of accounts).
SELECT
  e.company_code,
  e.gl_account_no,
  COUNT(*) AS row_count,
  CAST(SUM(e.amount) AS DECIMAL(18, 2)) AS amount,
  CAST(SUM(e.debit_amount) AS DECIMAL(18, 2)) AS debit_amount,
  CAST(SUM(e.credit_amount) AS DECIMAL(18, 2)) AS credit_amount
FROM gl_entries e
WHERE e.posting_date >= date_trunc('year', {{period_end}})
  AND e.posting_date <= {{period_end}}
  AND e.gl_account_no IN {{gl_accounts}}
  AND e.company_code IN {{companies}}
GROUP BY e.company_code, e.gl_account_no
ORDER BY e.company_code, e.gl_account_no
