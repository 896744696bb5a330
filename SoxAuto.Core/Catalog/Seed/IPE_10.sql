-- IPE_10: customer prepayments at the cutoff: items paid in advance (card, mobile money, bank transfer)
-- on or before the cutoff that were neither delivered nor refunded by the cutoff.
-- Later delivery, cancellation and refund dates are shown as subsequent events.
SELECT
  i.company,
  i.order_nr,
  i.id_sales_order_item,
  i.sku,
  i.item_name,
  i.is_marketplace,
  i.payment_method,
  i.order_date,
  i.shipped_date,
  i.delivered_date,
  i.cancelled_date,
  i.refunded_date,
  CASE
    WHEN i.cancelled_date <= {{period_end}} THEN 'cancelled, refund pending'
    WHEN i.shipped_date <= {{period_end}} THEN 'shipped, not yet delivered'
    ELSE 'paid, not yet shipped'
  END AS status_at_cutoff,
  date_diff('day', i.order_date, {{period_end}}) AS days_since_payment,
  i.paid_price,
  i.currency_code
FROM rpt_soi i
WHERE i.is_prepayment
  AND i.order_date <= {{period_end}}
  AND (i.delivered_date IS NULL OR i.delivered_date > {{period_end}})
  AND (i.refunded_date IS NULL OR i.refunded_date > {{period_end}})
  AND i.paid_price <> 0
  AND i.company IN {{companies}}
ORDER BY i.company, i.id_sales_order_item
