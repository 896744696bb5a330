-- IPE_09 control totals, counted and summed from the order items rather than the order headers.
SELECT
  i.company,
  COUNT(DISTINCT i.id_sales_order) AS row_count,
  CAST(SUM(i.paid_price + i.shipping_amount - i.shipping_discount) AS DECIMAL(18, 2)) AS total_amount
FROM rpt_soi i
WHERE i.order_date >= {{period_start}}
  AND i.order_date <= {{period_end}}
  AND i.company IN {{companies}}
GROUP BY i.company
ORDER BY i.company
