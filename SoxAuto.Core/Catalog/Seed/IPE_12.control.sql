-- IPE_12 control totals, from the cash rec's own package amounts rather than the order items.
SELECT
  p.company,
  CASE WHEN p.delivered_date < date_trunc('month', {{period_end}}) THEN '13024' ELSE '13005' END AS gl_account_no,
  COUNT(*) AS row_count,
  CAST(SUM(p.cod_amount) AS DECIMAL(18, 2)) AS cod_amount
FROM pg_bob_package_cash_rec p
WHERE p.delivered_date <= {{period_end}}
  AND (p.reconciled_date IS NULL OR p.reconciled_date > {{period_end}})
  AND p.company IN {{companies}}
  AND (CASE WHEN p.delivered_date < date_trunc('month', {{period_end}}) THEN '13024' ELSE '13005' END) IN {{gl_accounts}}
GROUP BY 1, 2
ORDER BY 1, 2
