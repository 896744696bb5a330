-- Trino (Athena) functions that DuckDB lacks or treats differently, as temporary macros, so that an IPE's
-- Athena SQL runs unchanged on the local engine. Typed overloads keep Trino's result types: Trino's
-- date_add and date_trunc on a DATE return a DATE (DuckDB's own return a TIMESTAMP).
-- One statement per line-ending ';'. Not covered (write the SQL to avoid them): date_parse,
-- format_datetime, d + INTERVAL on a DATE (a TIMESTAMP in DuckDB), integer '/' (exact in DuckDB).
CREATE TEMP MACRO trino_interval(unit, n) AS CASE lower(unit)
    WHEN 'millisecond' THEN to_milliseconds(n) WHEN 'second' THEN to_seconds(n) WHEN 'minute' THEN to_minutes(n)
    WHEN 'hour' THEN to_hours(n) WHEN 'day' THEN to_days(CAST(n AS INTEGER)) WHEN 'week' THEN to_days(CAST(7 * n AS INTEGER))
    WHEN 'month' THEN to_months(CAST(n AS INTEGER)) WHEN 'quarter' THEN to_months(CAST(3 * n AS INTEGER))
    WHEN 'year' THEN to_years(CAST(n AS INTEGER))
    ELSE error('date_add: unknown unit ''' || unit || '''') END;
-- date_add(unit, value, date|timestamp); DuckDB's own date_add(date, interval) keeps working.
CREATE TEMP MACRO date_add(d, i) AS d + i,
    (unit VARCHAR, n BIGINT, d DATE) AS CAST(d + trino_interval(unit, n) AS DATE),
    (unit VARCHAR, n BIGINT, d TIMESTAMP) AS d + trino_interval(unit, n);
-- Trino counts whole units between the two values (DuckDB's date_diff counts boundaries crossed; its date_sub matches Trino).
CREATE TEMP MACRO date_diff(unit VARCHAR, a DATE, b DATE) AS system.main.date_sub(unit, a, b),
    (unit VARCHAR, a TIMESTAMP, b TIMESTAMP) AS system.main.date_sub(unit, a, b);
CREATE TEMP MACRO date_trunc(unit VARCHAR, d DATE) AS CAST(system.main.date_trunc(unit, d) AS DATE),
    (unit VARCHAR, d TIMESTAMP) AS system.main.date_trunc(unit, d);
CREATE TEMP MACRO last_day_of_month(d) AS CAST(last_day(d) AS DATE);
CREATE TEMP MACRO regexp_like(s, pattern) AS regexp_matches(s, pattern);
-- Trino: 1 = Monday ... 7 = Sunday (DuckDB's dow is 0 = Sunday).
CREATE TEMP MACRO day_of_week(d) AS isodow(d);
CREATE TEMP MACRO dow(d) AS isodow(d);
CREATE TEMP MACRO from_iso8601_date(s) AS CAST(s AS DATE);
-- date_format takes MySQL specifiers (%i minutes, %s seconds, %M month name ...); strftime takes C ones.
CREATE TEMP MACRO trino_mysql_format(f) AS replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(f, '%%', chr(2)),
    '%Y', chr(1) || 'Y'), '%y', chr(1) || 'y'), '%m', chr(1) || 'm'), '%c', chr(1) || '-m'), '%d', chr(1) || 'd'), '%e', chr(1) || '-d'),
    '%H', chr(1) || 'H'), '%k', chr(1) || '-H'), '%i', chr(1) || 'M'), '%s', chr(1) || 'S'), '%S', chr(1) || 'S'), '%f', chr(1) || 'f'),
    '%M', chr(1) || 'B'), '%b', chr(1) || 'b'), '%T', chr(1) || 'H:' || chr(1) || 'M:' || chr(1) || 'S'), chr(1), '%'), chr(2), '%%');
CREATE TEMP MACRO date_format(ts, f) AS strftime(ts, trino_mysql_format(f));
