-- Wake the search outbox worker when rows are queued: NOTIFY is delivered when the writing
-- transaction commits (one per statement is enough; the worker reads every pending row).
CREATE FUNCTION search_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('search_outbox', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER search_outbox_notify AFTER INSERT ON search_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_notify();
