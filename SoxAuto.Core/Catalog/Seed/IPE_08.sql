-- IPE_08: store-credit and promotional vouchers that are a liability at the cutoff:
-- issued by the cutoff, not expired at the cutoff, and not fully used by then.
-- Usage comes from the order items that redeemed the voucher on or before the cutoff.
WITH usage AS (
  SELECT i.voucher_code, SUM(i.coupon_discount) AS used_amount
  FROM rpt_soi i
  WHERE i.voucher_code IS NOT NULL
    AND i.order_date <= {{period_end}}
  GROUP BY i.voucher_code
)
SELECT
  v.company,
  v.voucher_code,
  v.template_id,
  t.template_name,
  t.voucher_type,
  v.customer_id,
  v.issued_date,
  v.expiry_date,
  v.issued_amount,
  CAST(COALESCE(u.used_amount, 0) AS DECIMAL(18, 2)) AS used_amount,
  CAST(v.issued_amount - COALESCE(u.used_amount, 0) AS DECIMAL(18, 2)) AS remaining_amount,
  v.currency_code
FROM pg_bob_voucher v
JOIN pg_bob_voucher_template t ON t.template_id = v.template_id
LEFT JOIN usage u ON u.voucher_code = v.voucher_code
WHERE v.issued_date <= {{period_end}}
  AND v.expiry_date > {{period_end}}
  AND v.issued_amount - COALESCE(u.used_amount, 0) > 0
  AND v.company IN {{companies}}
ORDER BY v.company, v.voucher_code
