-- Every write to products, from the API or anywhere else (psql, a script, another host), sends one
-- NOTIFY on the channel "products_changed" when its transaction commits. Each API process keeps the
-- product list in memory and empties that cache on the notification (apps/api/src/repositories/
-- change-feed.ts). One notification per statement, not per row; PostgreSQL folds identical
-- notifications of one transaction into one.
CREATE FUNCTION "notify_products_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('products_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "products_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "products"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_products_changed"();
