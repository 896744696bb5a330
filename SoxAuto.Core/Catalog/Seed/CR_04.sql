-- CR_04: G/L balances at the cutoff by company and account, with the group account ("the actuals").
-- Balance at the cutoff = closing balance of the previous month-end (balance view) plus the entries
-- of the cutoff's month up to the cutoff, so any cutoff date is exact, not only month-ends.
WITH opening AS (
  SELECT b.company_code, b.gl_account_no, b.closing_balance AS amount
  FROM gl_balances b
  WHERE b.month_end_date = date_add('day', -1, date_trunc('month', {{period_end}}))
),
movements AS (
  SELECT e.company_code, e.gl_account_no, SUM(e.amount) AS amount
  FROM gl_entries e
  WHERE e.posting_date >= date_trunc('month', {{period_end}})
    AND e.posting_date <= {{period_end}}
  GROUP BY e.company_code, e.gl_account_no
)
SELECT
  c.company_code,
  c.company_name,
  c.currency_code,
  a.group_account_no,
  a.group_account_name,
  a.gl_account_no,
  a.account_name AS gl_account_name,
  {{period_end}} AS balance_date,
  CAST(COALESCE(o.amount, 0) + COALESCE(m.amount, 0) AS DECIMAL(18, 2)) AS balance
FROM dim_company c
CROSS JOIN chart_of_accounts a
LEFT JOIN opening o ON o.company_code = c.company_code AND o.gl_account_no = a.gl_account_no
LEFT JOIN movements m ON m.company_code = c.company_code AND m.gl_account_no = a.gl_account_no
WHERE a.account_type = 'Balance Sheet'
  AND a.gl_account_no IN {{gl_accounts}}
  AND c.company_code IN {{companies}}
ORDER BY c.company_code, a.gl_account_no
