-- IPE_34 control totals, as two separate populations: returned by the cutoff and not refunded by then
-- (positive), refunded by the cutoff and not returned by then (negative).
WITH returned_not_refunded AS (
  SELECT i.company, i.paid_price AS refund_amount, i.paid_price AS liability_amount
  FROM rpt_soi i
  WHERE i.is_marketplace
    AND i.delivered_date <= {{period_end}}
    AND i.returned_date <= {{period_end}}
    AND NOT EXISTS (
      SELECT 1 FROM pg_bob_refund r
      WHERE r.id_sales_order_item = i.id_sales_order_item AND r.refund_type = 'return' AND r.refund_date <= {{period_end}}
    )
    AND i.company IN {{companies}}
),
refunded_not_returned AS (
  SELECT i.company, i.paid_price AS refund_amount, -i.paid_price AS liability_amount
  FROM rpt_soi i
  JOIN pg_bob_refund r ON r.id_sales_order_item = i.id_sales_order_item AND r.refund_type = 'return'
  WHERE i.is_marketplace
    AND i.delivered_date <= {{period_end}}
    AND r.refund_date <= {{period_end}}
    AND (i.returned_date IS NULL OR i.returned_date > {{period_end}})
    AND i.company IN {{companies}}
)
SELECT
  company,
  COUNT(*) AS row_count,
  CAST(SUM(liability_amount) AS DECIMAL(18, 2)) AS liability_amount,
  CAST(SUM(refund_amount) AS DECIMAL(18, 2)) AS refund_amount
FROM (
  SELECT * FROM returned_not_refunded
  UNION ALL
  SELECT * FROM refunded_not_returned
) x
GROUP BY company
ORDER BY company
