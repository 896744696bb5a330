-- IPE_11: marketplace accrued revenue at the cutoff: seller transactions posted up to the cutoff (inclusive)
-- that are not on an account statement paid by the cutoff, i.e. what the sellers are still owed (G/L 18304).
-- A positive amount is owed to the seller (item price credits, compensation); a negative one is kept
-- (commission, returned items, fees). Statements and payments after the cutoff are shown as subsequent events.
SELECT
  t.company,
  t.seller_id,
  s.seller_name,
  t.transaction_id,
  t.transaction_date,
  t.created_at,
  t.transaction_type,
  t.order_nr,
  t.id_sales_order_item,
  t.description,
  a.account_statement_id,
  a.statement_date,
  a.paid_date,
  CASE
    WHEN a.statement_date <= {{period_end}} THEN 'on a statement, not yet paid'
    ELSE 'not yet on a statement'
  END AS status_at_cutoff,
  t.amount,
  t.currency_code
FROM pg_bob_seller_transaction t
JOIN pg_bob_seller s ON s.seller_id = t.seller_id
LEFT JOIN pg_bob_account_statement a ON a.account_statement_id = t.account_statement_id
WHERE t.transaction_date <= {{period_end}}
  AND (a.paid_date IS NULL OR a.paid_date > {{period_end}})
  AND t.company IN {{companies}}
ORDER BY t.company, t.transaction_id
