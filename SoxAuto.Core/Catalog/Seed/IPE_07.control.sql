-- IPE_07 control totals, from the ledger entries alone (no join to the customer or company master, so an
-- entry the IPE lost through a missing master record still counts here).
WITH remaining AS (
  SELECT d.cust_ledger_entry_no, SUM(d.amount) AS remaining_amount
  FROM dtld_cust_ledger_entries d
  WHERE d.posting_date <= {{period_end}}
  GROUP BY d.cust_ledger_entry_no
)
SELECT
  e.company_code,
  e.gl_account_no,
  COUNT(*) AS row_count,
  CAST(SUM(r.remaining_amount) AS DECIMAL(18, 2)) AS remaining_amount,
  CAST(SUM(e.amount) AS DECIMAL(18, 2)) AS original_amount
FROM cust_ledger_entries e
JOIN remaining r ON r.cust_ledger_entry_no = e.entry_no
WHERE e.posting_date <= {{period_end}}
  AND r.remaining_amount <> 0
  AND e.company_code IN {{companies}}
  AND e.gl_account_no IN {{gl_accounts}}
GROUP BY e.company_code, e.gl_account_no
ORDER BY e.company_code, e.gl_account_no
