-- The web shop back office (process_pg_bob): orders, order items with their life cycle, vouchers, refunds.
-- The shop's data runs to the extraction date 2026-01-10: an event after it has not happened yet (NULL).
CREATE TABLE gen.order_base AS
WITH b AS (
  SELECT n,
         CASE WHEN u(n, 'bf') < 0.12 THEN 304 + pick(n, 'bf_day', 30) ELSE pick(n, 'day', 365) END AS day_no,
         u(n, 'company') AS company_roll,
         u(n, 'pay') AS pay_roll,
         u(n, 'items') AS items_roll
  FROM range(135000) t(n)
)
SELECT b.n, c.company_index, c.company_code, c.short_code, c.currency_code, c.rate, c.decimals, c.city,
       DATE '2025-01-01' + CAST(b.day_no AS INTEGER) AS order_date,
       CAST(DATE '2025-01-01' + CAST(b.day_no AS INTEGER) AS TIMESTAMP) + to_seconds(pick(b.n, 'sec', 86400)) + to_milliseconds(pick(b.n, 'ms', 1000)) AS created_at,
       CASE WHEN b.pay_roll < c.cod THEN 'CashOnDelivery'
            WHEN b.pay_roll < c.cod + (1 - c.cod) * 0.5 THEN 'MobileMoney'
            WHEN b.pay_roll < c.cod + (1 - c.cod) * 0.9 THEN 'CreditCard'
            ELSE 'BankTransfer' END AS payment_method,
       CASE WHEN items_roll < 0.30 THEN 1 WHEN items_roll < 0.58 THEN 2 WHEN items_roll < 0.78 THEN 3 WHEN items_roll < 0.90 THEN 4 ELSE 5 END AS item_count,
       c.company_index * 1000000 + pick(b.n, 'customer', 80000) AS customer_id,
       1 + CAST(pick(b.n, 'ship', 3) AS INTEGER) AS ship_lag,
       CASE WHEN u(b.n, 'tail') < 0.03 THEN 15 + CAST(pick(b.n, 'tail_days', 40) AS INTEGER) ELSE 1 + CAST(pick(b.n, 'transit', 8) AS INTEGER) END AS transit_days,
       u(b.n, 'free_ship') < 0.3 AS free_shipping,
       money_in([1.5, 2.0, 3.0][1 + pick(b.n, 'ship_fee', 3)] * c.rate, c.decimals) AS shipping_fee
FROM b JOIN gen.company c ON b.company_roll * (SELECT sum(weight) FROM gen.company) >= c.cum_lo AND b.company_roll * (SELECT sum(weight) FROM gen.company) < c.cum_hi;

CREATE TABLE gen.orders AS
SELECT row_number() OVER (ORDER BY created_at, n) + 10000000 AS id_sales_order, *
FROM gen.order_base;

-- One row per item with its fate: cancelled, failed delivery, delivered, or delivered then returned.
CREATE TABLE gen.item_fate AS
WITH i AS (
  SELECT o.*, k AS line_no, o.id_sales_order * 10 + k AS ik
  FROM gen.orders o CROSS JOIN range(5) t(k) WHERE k < o.item_count
), f AS (
  SELECT i.*, p.sku, p.item_name,
         money_in(p.usd_price * i.rate, i.decimals) AS unit_price,
         u(ik, 'marketplace') < 0.40 AS is_marketplace,
         payment_method <> 'CashOnDelivery' AS is_prepayment,
         u(ik, 'fate') AS fate,
         u(ik, 'return_flow') AS return_flow,
         u(ik, 'discount') < 0.2 AS has_discount,
         u(ik, 'voucher') < 0.07 AS uses_voucher
  FROM i JOIN gen.product p ON p.product_no = pick(i.ik, 'product', 2000)
), d AS (
  SELECT f.*,
         CASE WHEN fate < 0.06 THEN order_date + CAST(pick(ik, 'cancel', 4) AS INTEGER) END AS cancel_date,
         CASE WHEN fate >= 0.06 THEN order_date + ship_lag END AS ship_date,
         CASE WHEN fate >= 0.06 AND fate < 0.12 THEN order_date + ship_lag + transit_days + 2 END AS failed_date,
         CASE WHEN fate >= 0.12 THEN order_date + ship_lag + transit_days END AS deliver_date
  FROM f
), r AS (
  SELECT d.*,
         -- returns: 70% come back first and are refunded later; 30% are refunded first (some never come back)
         CASE WHEN fate >= 0.12 AND fate < 0.18 AND return_flow < 0.70 THEN deliver_date + 1 + CAST(pick(ik, 'ret_lag', 14) AS INTEGER)
              WHEN fate >= 0.12 AND fate < 0.18 AND u(ik, 'lost') >= 0.15 THEN deliver_date + 1 + CAST(pick(ik, 'early', 7) AS INTEGER) + CAST(pick(ik, 'late', 25) AS INTEGER)
         END AS return_date,
         CASE WHEN fate >= 0.12 AND fate < 0.18 AND return_flow < 0.70 THEN deliver_date + 2 + CAST(pick(ik, 'ret_lag', 14) AS INTEGER) + CAST(pick(ik, 'refund_lag', 20) AS INTEGER)
              WHEN fate >= 0.12 AND fate < 0.18 THEN deliver_date + 1 + CAST(pick(ik, 'early', 7) AS INTEGER)
              -- a prepaid item that never reached the customer is refunded, except a few left unclaimed
              WHEN fate < 0.12 AND payment_method <> 'CashOnDelivery' AND u(ik, 'unclaimed') >= 0.08
                THEN coalesce(cancel_date, failed_date) + 1 + CAST(pick(ik, 'cx_refund', 10) AS INTEGER)
         END AS refund_date
  FROM d
)
SELECT *,
       CASE WHEN has_discount THEN money_in(unit_price * (0.05 + 0.25 * u(ik, 'discount_pct')), decimals) ELSE CAST(0 AS DECIMAL(18,2)) END AS cart_rule_discount
FROM r;

CREATE TABLE gen.items AS
WITH v AS (
  SELECT f.*, t.template_id, t.face_value, t.validity_days, t.template_name
  FROM gen.item_fate f
  LEFT JOIN process_pg_bob.pg_bob_voucher_template t
    ON f.uses_voucher AND t.company = f.company_code AND t.template_id % 100 = pick(f.ik, 'template', 5)
)
SELECT row_number() OVER (ORDER BY id_sales_order, line_no) + 50000000 AS id_sales_order_item, v.*,
       CASE WHEN uses_voucher THEN least(face_value, unit_price - cart_rule_discount) ELSE CAST(0 AS DECIMAL(18,2)) END AS voucher_amount,
       CASE WHEN uses_voucher THEN 'JV' || upper(substr(md5('voucher-' || CAST(ik AS VARCHAR)), 1, 10)) END AS voucher_code,
       CASE WHEN is_marketplace THEN 700000 + company_index * 1000 + pick(ik, 'seller', 600) END AS seller_id,
       CASE WHEN line_no = 0 THEN shipping_fee ELSE CAST(0 AS DECIMAL(18,2)) END AS shipping_amount,
       CASE WHEN line_no = 0 AND free_shipping THEN shipping_fee ELSE CAST(0 AS DECIMAL(18,2)) END AS shipping_discount
FROM v;

-- What the back office knows on the extraction date.
CREATE MACRO known(d) AS CASE WHEN d <= DATE '2026-01-10' THEN d END;

CREATE TABLE process_pg_bob.rpt_soi AS
WITH k AS (
  SELECT *, known(ship_date) AS shipped_date, known(deliver_date) AS delivered_date,
         known(coalesce(cancel_date, failed_date)) AS cancelled_date,
         known(return_date) AS returned_date, known(refund_date) AS refunded_date
  FROM gen.items
)
SELECT id_sales_order_item, id_sales_order, CAST(300000000 + id_sales_order - 10000000 AS VARCHAR) AS order_nr, company_code AS company,
       sku, item_name, seller_id, is_marketplace, is_prepayment, payment_method,
       CASE WHEN returned_date IS NOT NULL THEN 'returned'
            WHEN refunded_date IS NOT NULL AND delivered_date IS NOT NULL THEN 'refunded'
            WHEN delivered_date IS NOT NULL THEN 'delivered'
            WHEN cancelled_date IS NOT NULL AND shipped_date IS NOT NULL THEN 'closed'
            WHEN cancelled_date IS NOT NULL THEN 'cancelled'
            WHEN shipped_date IS NOT NULL THEN 'shipped'
            ELSE 'pending' END AS item_status,
       order_date,
       CASE WHEN fate >= 0.06 OR is_prepayment THEN order_date + CAST(pick(ik, 'verify', 2) AS INTEGER) END AS verified_date,
       shipped_date, delivered_date, cancelled_date, returned_date, refunded_date,
       unit_price, paid_price, cart_rule_discount, voucher_amount AS coupon_discount, voucher_code,
       shipping_amount, shipping_discount, currency_code, created_at
FROM (SELECT *, unit_price - cart_rule_discount - voucher_amount AS paid_price FROM k)
ORDER BY id_sales_order_item;

CREATE TABLE process_pg_bob.pg_bob_sales_order AS
SELECT i.id_sales_order AS order_id, i.order_nr, i.company, o.customer_id, i.order_date, o.created_at,
       i.payment_method,
       CASE WHEN bool_and(i.item_status = 'delivered') THEN 'delivered'
            WHEN bool_and(i.item_status IN ('cancelled', 'closed')) THEN 'cancelled'
            WHEN bool_or(i.item_status IN ('returned', 'refunded')) THEN 'partially returned'
            WHEN bool_or(i.item_status = 'delivered') THEN 'partially delivered'
            ELSE 'in progress' END AS order_status,
       count(*) AS item_count,
       CAST(sum(i.paid_price + i.shipping_amount - i.shipping_discount) AS DECIMAL(18,2)) AS total_amount,
       i.currency_code,
       CASE WHEN o.n % 211 = 17 THEN o.city || ', "Zone 4", apt. 12' ELSE o.city END AS shipping_city
FROM process_pg_bob.rpt_soi i JOIN gen.orders o ON o.id_sales_order = i.id_sales_order
GROUP BY ALL
ORDER BY order_id;

-- Vouchers: those used by an order item (issued before the order, used once, possibly partly) and those never used.
CREATE TABLE gen.vouchers AS
SELECT voucher_code, company_code AS company, template_id, customer_id,
       greatest(order_date - 1 - CAST(pick(ik, 'voucher_age', least(validity_days - 1, 60)) AS INTEGER), DATE '2025-01-01') AS issued_date,
       validity_days, face_value AS issued_amount, currency_code, ik AS vk
FROM gen.items WHERE uses_voucher
UNION ALL
SELECT 'JV' || upper(substr(md5('unused-' || CAST(j AS VARCHAR)), 1, 10)), c.company_code, t.template_id,
       c.company_index * 1000000 + pick(j, 'v_customer', 80000),
       DATE '2025-01-01' + CAST(pick(j, 'v_day', 365) AS INTEGER), t.validity_days, t.face_value, c.currency_code, -j - 1
FROM range(20000) r(j)
JOIN gen.company c ON u(j, 'v_company') * (SELECT sum(weight) FROM gen.company) >= c.cum_lo AND u(j, 'v_company') * (SELECT sum(weight) FROM gen.company) < c.cum_hi
JOIN process_pg_bob.pg_bob_voucher_template t ON t.company = c.company_code AND t.template_id % 100 = pick(j, 'v_template', 6);

CREATE TABLE process_pg_bob.pg_bob_voucher AS
SELECT v.voucher_code, v.company, v.template_id, v.customer_id, v.issued_date, v.issued_date + v.validity_days AS expiry_date,
       v.issued_amount, v.currency_code,
       CASE WHEN i.coupon_discount >= v.issued_amount THEN 'used'
            WHEN v.issued_date + v.validity_days <= DATE '2026-01-10' THEN 'expired'
            WHEN i.coupon_discount > 0 THEN 'partially used'
            ELSE 'active' END AS status,
       CASE WHEN v.vk % 7 = 3 THEN 'crm-campaign' WHEN v.vk % 7 = 5 THEN 'cs.agent@shop' ELSE 'voucher-service' END AS created_by
FROM gen.vouchers v
LEFT JOIN process_pg_bob.rpt_soi i ON i.voucher_code = v.voucher_code
ORDER BY v.voucher_code;

CREATE TABLE process_pg_bob.pg_bob_refund AS
SELECT row_number() OVER (ORDER BY refunded_date, id_sales_order_item) + 900000 AS refund_id,
       company, id_sales_order_item, order_nr,
       CASE WHEN delivered_date IS NOT NULL THEN 'return' ELSE 'cancellation' END AS refund_type,
       refunded_date AS refund_date,
       paid_price AS refund_amount,
       CASE WHEN payment_method = 'CashOnDelivery' THEN ['bank transfer', 'mobile money'][1 + pick(id_sales_order_item, 'refund_method', 2)]
            ELSE 'original payment method' END AS refund_method,
       CASE WHEN id_sales_order_item % 97 = 0 THEN 'Customer called twice:' || chr(10) || '"parcel never arrived", escalated'
            ELSE ['Item damaged, box opened', 'Wrong size – too small', 'Customer said: "not as described"', 'Changed mind',
                  'Délai de livraison trop long', '-', '=Duplicate order', 'Late delivery', 'Fake item reported, seller warned',
                  'Missing parts (2 of 3)'][1 + pick(id_sales_order_item, 'reason', 10)] END AS refund_reason,
       CASE WHEN refund_type = 'return' THEN 'returns-desk' ELSE 'refund-bot' END AS processed_by
FROM process_pg_bob.rpt_soi
WHERE refunded_date IS NOT NULL
ORDER BY refund_id;
