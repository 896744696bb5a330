-- IPE_34: marketplace refund liability at the cutoff, per delivered marketplace item with a return:
--   returned by the cutoff but not refunded by then: the customer is owed a refund (positive liability);
--   refunded by the cutoff but not returned by then: the item is still to come back (negative liability).
SELECT
  i.company,
  i.order_nr,
  i.id_sales_order_item,
  i.seller_id,
  i.sku,
  i.item_name,
  i.delivered_date,
  i.returned_date,
  r.refund_id,
  r.refund_date,
  r.refund_reason,
  CASE WHEN i.returned_date <= {{period_end}} THEN 'returned, not refunded' ELSE 'refunded, not returned' END AS liability_type,
  i.paid_price AS refund_amount,
  CASE WHEN i.returned_date <= {{period_end}} THEN i.paid_price ELSE -i.paid_price END AS liability_amount,
  i.currency_code
FROM rpt_soi i
LEFT JOIN pg_bob_refund r ON r.id_sales_order_item = i.id_sales_order_item AND r.refund_type = 'return'
WHERE i.is_marketplace
  AND i.delivered_date <= {{period_end}}
  AND (
    (i.returned_date <= {{period_end}} AND (r.refund_date IS NULL OR r.refund_date > {{period_end}}))
    OR (r.refund_date <= {{period_end}} AND (i.returned_date IS NULL OR i.returned_date > {{period_end}}))
  )
  AND i.company IN {{companies}}
ORDER BY i.company, i.id_sales_order_item
