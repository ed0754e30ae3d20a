-- Per user and day: activity counts, purchase amounts, and a rolling purchase window over the
-- 7 days [event_date - 6, event_date]. Reads from ${lookback_start} (start_date - 6 days) so the
-- first days of the window see a full week, then keeps only days in [start_date, end_date).
-- Day boundaries follow the Spark session time zone (UTC on the platform).
WITH daily AS (
  SELECT
    user_id,
    date(event_ts) AS event_date,
    count(*) AS event_count,
    count_if(event_type = 'view') AS view_count,
    count_if(event_type = 'click') AS click_count,
    count_if(event_type = 'add_to_cart') AS add_to_cart_count,
    count_if(event_type = 'purchase') AS purchase_count,
    count(DISTINCT item_id) AS distinct_items,
    count(DISTINCT session_id) AS distinct_sessions,
    CAST(coalesce(sum(CASE WHEN event_type = 'purchase' THEN amount END), 0) AS DOUBLE) AS purchase_amount_sum,
    CAST(avg(CASE WHEN event_type = 'purchase' THEN amount END) AS DOUBLE) AS avg_purchase_amount
  FROM lake.raw.events
  WHERE event_ts >= TIMESTAMP '${lookback_start} 00:00:00'
    AND event_ts < TIMESTAMP '${end_date} 00:00:00'
    AND user_id IS NOT NULL
  GROUP BY user_id, date(event_ts)
),
rolling AS (
  SELECT
    *,
    -- Days without events have no row and add nothing, so a RANGE over day numbers is exact.
    CAST(sum(purchase_amount_sum) OVER (
      PARTITION BY user_id ORDER BY unix_date(event_date) RANGE BETWEEN 6 PRECEDING AND CURRENT ROW
    ) AS DOUBLE) AS purchase_amount_sum_7d,
    sum(purchase_count) OVER (
      PARTITION BY user_id ORDER BY unix_date(event_date) RANGE BETWEEN 6 PRECEDING AND CURRENT ROW
    ) AS purchase_count_7d
  FROM daily
)
SELECT
  user_id,
  event_date,
  event_count,
  view_count,
  click_count,
  add_to_cart_count,
  purchase_count,
  distinct_items,
  distinct_sessions,
  purchase_amount_sum,
  avg_purchase_amount,
  purchase_amount_sum_7d,
  purchase_count_7d
FROM rolling
WHERE event_date >= DATE '${start_date}'
  AND event_date < DATE '${end_date}'
