-- IPE_11 control totals, from the statements' own totals rather than the transactions' statement links:
-- every transaction up to the cutoff, less the transactions and amounts of the statements paid by the cutoff.
WITH booked AS (
  SELECT t.company, COUNT(*) AS row_count, SUM(t.amount) AS amount
  FROM pg_bob_seller_transaction t
  WHERE t.transaction_date <= {{period_end}}
    AND t.company IN {{companies}}
  GROUP BY t.company
),
paid AS (
  SELECT a.company, SUM(a.transaction_count) AS row_count, SUM(a.total_amount) AS amount
  FROM pg_bob_account_statement a
  WHERE a.paid_date <= {{period_end}}
    AND a.company IN {{companies}}
  GROUP BY a.company
)
SELECT
  b.company,
  CAST(b.row_count - COALESCE(p.row_count, 0) AS BIGINT) AS row_count,
  CAST(b.amount - COALESCE(p.amount, 0) AS DECIMAL(18, 2)) AS amount
FROM booked b
LEFT JOIN paid p ON p.company = b.company
ORDER BY b.company
