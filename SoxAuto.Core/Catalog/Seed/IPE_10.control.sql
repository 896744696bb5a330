-- IPE_10 control totals, taking refunds from the refund register rather than the items' refund dates.
SELECT
  i.company,
  COUNT(*) AS row_count,
  CAST(SUM(i.paid_price) AS DECIMAL(18, 2)) AS paid_price
FROM rpt_soi i
WHERE i.is_prepayment
  AND i.order_date <= {{period_end}}
  AND (i.delivered_date IS NULL OR i.delivered_date > {{period_end}})
  AND NOT EXISTS (
    SELECT 1 FROM pg_bob_refund r
    WHERE r.id_sales_order_item = i.id_sales_order_item
      AND r.refund_date <= {{period_end}}
  )
  AND i.paid_price <> 0
  AND i.company IN {{companies}}
GROUP BY i.company
ORDER BY i.company
