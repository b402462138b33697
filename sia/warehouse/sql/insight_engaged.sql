-- Who was engaged in months $start..$end: councillor ward meetings, the wards they covered
-- and the councillors attending; officer sessions and officers; community engagements and
-- their wards; tension reports.
SELECT
    (SELECT count(*) FROM councillor_sessions WHERE month BETWEEN $start AND $end)
        AS councillor_sessions,
    (SELECT count(DISTINCT ward_code) FROM councillor_sessions
        WHERE month BETWEEN $start AND $end) AS councillor_wards,
    (SELECT coalesce(sum(councillors_attending), 0) FROM councillor_sessions
        WHERE month BETWEEN $start AND $end) AS councillors,
    (SELECT count(*) FROM officer_sessions WHERE month BETWEEN $start AND $end)
        AS officer_sessions,
    (SELECT coalesce(sum(officers_attending), 0) FROM officer_sessions
        WHERE month BETWEEN $start AND $end) AS officers,
    (SELECT count(*) FROM engagements WHERE month BETWEEN $start AND $end) AS engagements,
    (SELECT count(DISTINCT ward_code) FROM engagements
        WHERE month BETWEEN $start AND $end) AS engagement_wards,
    (SELECT count(*) FROM tension_reports WHERE month BETWEEN $start AND $end)
        AS tension_reports
