-- IPE_08 control totals, from the vouchers and the order items that redeemed them (no join to the templates).
WITH usage AS (
  SELECT i.voucher_code, SUM(i.coupon_discount) AS used_amount
  FROM rpt_soi i
  WHERE i.voucher_code IS NOT NULL
    AND i.order_date <= {{period_end}}
  GROUP BY i.voucher_code
),
open_vouchers AS (
  SELECT v.company, v.issued_amount, COALESCE(u.used_amount, 0) AS used_amount
  FROM pg_bob_voucher v
  LEFT JOIN usage u ON u.voucher_code = v.voucher_code
  WHERE v.issued_date <= {{period_end}}
    AND v.expiry_date > {{period_end}}
    AND v.company IN {{companies}}
)
SELECT
  company,
  COUNT(*) AS row_count,
  CAST(SUM(issued_amount - used_amount) AS DECIMAL(18, 2)) AS remaining_amount,
  CAST(SUM(issued_amount) AS DECIMAL(18, 2)) AS issued_amount,
  CAST(SUM(used_amount) AS DECIMAL(18, 2)) AS used_amount
FROM open_vouchers
WHERE issued_amount - used_amount > 0
GROUP BY company
ORDER BY company
