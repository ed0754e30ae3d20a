-- Per item and day: funnel counts, distinct users, revenue, and the view-to-purchase conversion
-- rate (NULL when the item had no views that day). Day boundaries follow the Spark session time
-- zone (UTC on the platform).
SELECT
  item_id,
  date(event_ts) AS event_date,
  count_if(event_type = 'view') AS view_count,
  count_if(event_type = 'click') AS click_count,
  count_if(event_type = 'add_to_cart') AS add_to_cart_count,
  count_if(event_type = 'purchase') AS purchase_count,
  count(DISTINCT user_id) AS distinct_users,
  CAST(coalesce(sum(CASE WHEN event_type = 'purchase' THEN amount END), 0) AS DOUBLE) AS revenue,
  CAST(count_if(event_type = 'purchase') AS DOUBLE) / nullif(count_if(event_type = 'view'), 0) AS conversion_rate
FROM lake.raw.events
WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00'
  AND event_ts < TIMESTAMP '${end_date} 00:00:00'
  AND item_id IS NOT NULL
GROUP BY item_id, date(event_ts)
