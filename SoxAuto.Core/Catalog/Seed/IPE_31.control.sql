-- IPE_31 control totals, from the packlists' own counts and amounts rather than the cash-rec transactions.
SELECT
  pl.company,
  CASE WHEN d.deposit_date <= {{period_end}} THEN '13002' ELSE '13001' END AS gl_account_no,
  CAST(SUM(pl.transaction_count) AS BIGINT) AS row_count,
  CAST(SUM(pl.amount) AS DECIMAL(18, 2)) AS amount
FROM pg_bob_packlist pl
LEFT JOIN pg_bob_deposit d ON d.deposit_id = pl.deposit_id
WHERE pl.collected_date <= {{period_end}}
  AND (d.bank_confirmed_date IS NULL OR d.bank_confirmed_date > {{period_end}})
  AND pl.company IN {{companies}}
  AND (CASE WHEN d.deposit_date <= {{period_end}} THEN '13002' ELSE '13001' END) IN {{gl_accounts}}
GROUP BY 1, 2
ORDER BY 1, 2
