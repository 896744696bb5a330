-- CR_04 control totals: each balance as the sum of every G/L entry on the account up to the cutoff (a
-- balance-sheet account is never closed), instead of the balance view's month-end closing plus the month's
-- entries; one row per selected company and balance-sheet account.
WITH entries AS (
  SELECT e.company_code, e.gl_account_no, SUM(e.amount) AS balance
  FROM gl_entries e
  WHERE e.posting_date <= {{period_end}}
  GROUP BY e.company_code, e.gl_account_no
)
SELECT
  c.company_code,
  a.gl_account_no,
  COUNT(*) AS row_count,
  CAST(SUM(COALESCE(x.balance, 0)) AS DECIMAL(18, 2)) AS balance
FROM dim_company c
CROSS JOIN chart_of_accounts a
LEFT JOIN entries x ON x.company_code = c.company_code AND x.gl_account_no = a.gl_account_no
WHERE a.account_type = 'Balance Sheet'
  AND a.gl_account_no IN {{gl_accounts}}
  AND c.company_code IN {{companies}}
GROUP BY c.company_code, a.gl_account_no
ORDER BY c.company_code, a.gl_account_no
