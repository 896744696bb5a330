-- CR_03: G/L entries of the year up to the cutoff (inclusive) for the selected accounts and companies.
SELECT
  e.company_code,
  e.gl_account_no,
  a.account_name AS gl_account_name,
  e.entry_no,
  e.posting_date,
  e.document_type,
  e.document_no,
  e.description,
  e.amount,
  e.debit_amount,
  e.credit_amount,
  e.source_code,
  e.source_type,
  e.source_no,
  e.user_id,
  e.system_created_at
FROM gl_entries e
JOIN chart_of_accounts a ON a.gl_account_no = e.gl_account_no
WHERE e.posting_date >= date_trunc('year', {{period_end}})
  AND e.posting_date <= {{period_end}}
  AND e.gl_account_no IN {{gl_accounts}}
  AND e.company_code IN {{companies}}
ORDER BY e.entry_no
