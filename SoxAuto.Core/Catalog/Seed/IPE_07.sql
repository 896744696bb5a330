-- IPE_07: open customer ledger entries at the cutoff, with their ageing.
-- An entry's remaining amount at the cutoff is the sum of its detailed entries posted up to the cutoff
-- (its initial amount less the applications made by then), as Dynamics NAV computes it.
WITH remaining AS (
  SELECT d.cust_ledger_entry_no, SUM(d.amount) AS remaining_amount
  FROM dtld_cust_ledger_entries d
  WHERE d.posting_date <= {{period_end}}
  GROUP BY d.cust_ledger_entry_no
)
SELECT
  e.company_code,
  c.company_name,
  e.currency_code,
  e.customer_no,
  cu.customer_name,
  cu.customer_posting_group,
  e.gl_account_no,
  e.entry_no,
  e.posting_date,
  e.document_type,
  e.document_no,
  e.external_document_no,
  e.due_date,
  e.amount AS original_amount,
  CAST(r.remaining_amount AS DECIMAL(18, 2)) AS remaining_amount,
  date_diff('day', e.due_date, {{period_end}}) AS days_overdue,
  CASE
    WHEN date_diff('day', e.due_date, {{period_end}}) <= 0 THEN '0 not yet due'
    WHEN date_diff('day', e.due_date, {{period_end}}) <= 30 THEN '1 overdue 1-30 days'
    WHEN date_diff('day', e.due_date, {{period_end}}) <= 60 THEN '2 overdue 31-60 days'
    WHEN date_diff('day', e.due_date, {{period_end}}) <= 90 THEN '3 overdue 61-90 days'
    WHEN date_diff('day', e.due_date, {{period_end}}) <= 180 THEN '4 overdue 91-180 days'
    ELSE '5 overdue over 180 days'
  END AS ageing_bucket
FROM cust_ledger_entries e
JOIN remaining r ON r.cust_ledger_entry_no = e.entry_no
JOIN customers cu ON cu.company_code = e.company_code AND cu.customer_no = e.customer_no
JOIN dim_company c ON c.company_code = e.company_code
WHERE e.posting_date <= {{period_end}}
  AND r.remaining_amount <> 0
  AND e.company_code IN {{companies}}
  AND e.gl_account_no IN {{gl_accounts}}
ORDER BY e.company_code, e.customer_no, e.entry_no
