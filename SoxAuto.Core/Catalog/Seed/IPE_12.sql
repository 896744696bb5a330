-- IPE_12: delivered cash-on-delivery packages whose cash was not reconciled by the cutoff (inclusive): delivered
-- on or before the cutoff, and the collection partner had not reported the package's cash by then. The cash
-- to collect is computed from the package's delivered order items. Packages delivered in an earlier month than
-- the cutoff's belong to G/L 13024 (reclassified at month-end), the others to 13005.
WITH delivered_items AS (
  SELECT
    i.id_sales_order,
    COUNT(*) AS item_count,
    SUM(i.paid_price + i.shipping_amount - i.shipping_discount) AS cod_amount
  FROM rpt_soi i
  WHERE i.payment_method = 'CashOnDelivery'
    AND i.delivered_date <= {{period_end}}
  GROUP BY i.id_sales_order
)
SELECT
  p.company,
  p.package_id,
  p.order_nr,
  p.partner_id,
  lp.partner_name,
  p.delivered_date,
  date_diff('day', p.delivered_date, {{period_end}}) AS days_since_delivery,
  CASE WHEN p.delivered_date < date_trunc('month', {{period_end}}) THEN '13024' ELSE '13005' END AS gl_account_no,
  p.cashrec_id,
  p.reconciled_date,
  p.rec_status,
  d.item_count,
  CAST(d.cod_amount AS DECIMAL(18, 2)) AS cod_amount,
  p.currency_code
FROM pg_bob_package_cash_rec p
JOIN delivered_items d ON d.id_sales_order = p.id_sales_order
JOIN pg_bob_logistics_partner lp ON lp.partner_id = p.partner_id
WHERE p.delivered_date <= {{period_end}}
  AND (p.reconciled_date IS NULL OR p.reconciled_date > {{period_end}})
  AND p.company IN {{companies}}
  AND (CASE WHEN p.delivered_date < date_trunc('month', {{period_end}}) THEN '13024' ELSE '13005' END) IN {{gl_accounts}}
ORDER BY p.company, p.package_id
