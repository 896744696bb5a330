-- IPE_09: web-shop sales orders placed from the start of the period up to the cutoff (inclusive).
-- order_status is the order's status in the back office when the data was extracted.
SELECT
  o.company,
  o.order_id,
  o.order_nr,
  o.customer_id,
  o.order_date,
  o.created_at,
  o.payment_method,
  o.order_status,
  o.item_count,
  o.total_amount,
  o.currency_code
FROM pg_bob_sales_order o
WHERE o.order_date >= {{period_start}}
  AND o.order_date <= {{period_end}}
  AND o.company IN {{companies}}
ORDER BY o.order_id
