-- IPE_31: collection-partner balances in transit at the cutoff (inclusive): cash the partners' agents collected
-- on or before the cutoff that the bank had not confirmed by then, per cash-rec transaction. Not yet deposited
-- by the cutoff: cash in transit (G/L 13001); deposited but not confirmed on the bank statement: deposits in
-- transit (13002). Later deposits and confirmations are shown as subsequent events.
SELECT
  t.company,
  t.partner_id,
  lp.partner_name,
  t.cashrec_id,
  t.agent_code,
  t.package_id,
  t.order_nr,
  t.collected_date,
  t.packlist_id,
  d.deposit_id,
  d.deposit_slip_no,
  d.deposit_date,
  d.bank_confirmed_date,
  CASE
    WHEN d.deposit_date <= {{period_end}} THEN 'deposited, not confirmed by the bank'
    ELSE 'collected, not deposited'
  END AS status_at_cutoff,
  CASE WHEN d.deposit_date <= {{period_end}} THEN '13002' ELSE '13001' END AS gl_account_no,
  t.amount,
  t.currency_code
FROM pg_bob_cashrec_transaction t
JOIN pg_bob_packlist pl ON pl.packlist_id = t.packlist_id
LEFT JOIN pg_bob_deposit d ON d.deposit_id = pl.deposit_id
JOIN pg_bob_logistics_partner lp ON lp.partner_id = t.partner_id
WHERE t.collected_date <= {{period_end}}
  AND (d.bank_confirmed_date IS NULL OR d.bank_confirmed_date > {{period_end}})
  AND t.company IN {{companies}}
  AND (CASE WHEN d.deposit_date <= {{period_end}} THEN '13002' ELSE '13001' END) IN {{gl_accounts}}
ORDER BY t.company, t.cashrec_id
