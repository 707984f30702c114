/*
 * routes.c: the route table and its matcher.
 *
 * Read the table as the access policy of Circles: who may call what.  The
 * access test compares every row with real answers for every role.
 */
#include "app/routes.h"

#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "app/handlers.h"

#define ANY_ROLE	ROLE_ALL

const struct route routes[] = {
	/* pages everyone can see */
	{ "GET",    "/",					POLICY_PUBLIC, 0, h_home },
	{ "POST",   "/lang",					POLICY_PUBLIC, 0, h_lang },
	{ "GET",    "/metrics",					POLICY_PUBLIC, 0, h_metrics },

	/* signing up and in (CSRF-exempt: there is no session yet to bind a token to) */
	{ "GET",    "/login",					POLICY_SIGNED_OUT, 0, h_login_form },
	{ "POST",   "/login",					POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_login_submit },
	{ "GET",    "/login/code",				POLICY_SIGNED_OUT, 0, h_login_code_form },
	{ "POST",   "/login/code",				POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_login_code_submit },
	{ "GET",    "/signup",					POLICY_SIGNED_OUT, 0, h_signup_form },
	{ "POST",   "/signup",					POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_signup_submit },
	{ "GET",    "/invite/:token",				POLICY_SIGNED_OUT, 0, h_invite_accept_form },
	{ "GET",    "/password/forgot",				POLICY_SIGNED_OUT, 0, h_forgot_form },
	{ "POST",   "/password/forgot",				POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_forgot_submit },
	{ "GET",    "/password/reset",				POLICY_SIGNED_OUT, 0, h_reset_form },
	{ "POST",   "/password/reset",				POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_reset_submit },
	{ "POST",   "/api/v1/session",				POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_api_session_create },
	{ "POST",   "/api/v1/users",				POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_api_register },
	{ "POST",   "/api/v1/password/forgot",			POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_api_password_forgot },
	{ "POST",   "/api/v1/password/reset",			POLICY_SIGNED_OUT, ROUTE_CSRF_EXEMPT, h_api_password_reset },

	/* one's own account */
	{ "POST",   "/logout",					ANY_ROLE, 0, h_logout },
	{ "GET",    "/account",					ANY_ROLE, 0, h_account },
	{ "POST",   "/account",					ANY_ROLE, 0, h_account_update },
	{ "POST",   "/account/password",			ANY_ROLE, 0, h_account_password },
	{ "POST",   "/account/sessions/revoke-all",		ANY_ROLE, 0, h_account_sessions_revoke_all },
	{ "POST",   "/account/sessions/:id/revoke",		ANY_ROLE, 0, h_account_session_revoke },
	{ "POST",   "/account/totp/setup",			ROLE_STAFF, 0, h_account_totp_setup },
	{ "POST",   "/account/totp/enable",			ROLE_STAFF, 0, h_account_totp_enable },
	{ "POST",   "/account/totp/disable",			ROLE_STAFF, 0, h_account_totp_disable },
	{ "DELETE", "/api/v1/session",				ANY_ROLE, 0, h_api_session_delete },
	{ "GET",    "/api/v1/me",				ANY_ROLE, 0, h_api_me },
	{ "PATCH",  "/api/v1/me",				ANY_ROLE, 0, h_api_me_update },
	{ "POST",   "/api/v1/me/password",			ANY_ROLE, 0, h_api_password_change },
	{ "GET",    "/api/v1/me/sessions",			ANY_ROLE, 0, h_api_sessions_list },
	{ "DELETE", "/api/v1/me/sessions",			ANY_ROLE, 0, h_api_sessions_delete_all },
	{ "DELETE", "/api/v1/me/sessions/:id",			ANY_ROLE, 0, h_api_session_revoke },
	{ "POST",   "/api/v1/me/totp/setup",			ROLE_STAFF, 0, h_api_totp_setup },
	{ "POST",   "/api/v1/me/totp/enable",			ROLE_STAFF, 0, h_api_totp_enable },
	{ "POST",   "/api/v1/me/totp/disable",			ROLE_STAFF, 0, h_api_totp_disable },

	/* privacy: consents, who saw my data, export, delete */
	{ "GET",    "/privacy",					ANY_ROLE, 0, h_privacy },
	{ "POST",   "/privacy/consents",			ANY_ROLE, 0, h_privacy_consent_create },
	{ "POST",   "/privacy/consents/:id/revoke",		ANY_ROLE, 0, h_privacy_consent_revoke },
	{ "GET",    "/privacy/audit",				ANY_ROLE, 0, h_privacy_audit },
	{ "GET",    "/privacy/export",				ANY_ROLE, 0, h_privacy_export },
	{ "POST",   "/privacy/delete",				ANY_ROLE, 0, h_privacy_delete },
	{ "GET",    "/api/v1/me/consents",			ANY_ROLE, 0, h_api_consents_list },
	{ "POST",   "/api/v1/me/consents",			ANY_ROLE, 0, h_api_consent_create },
	{ "DELETE", "/api/v1/me/consents/:id",			ANY_ROLE, 0, h_api_consent_revoke },
	{ "GET",    "/api/v1/me/audit",				ANY_ROLE, 0, h_api_audit },
	{ "GET",    "/api/v1/me/export",			ANY_ROLE, 0, h_api_export },
	{ "DELETE", "/api/v1/me",				ANY_ROLE, 0, h_api_me_delete },
	{ "GET",    "/api/v1/grantees",				ANY_ROLE, 0, h_api_grantees },
	{ "GET",    "/api/v1/members/:id/contact",		ANY_ROLE, 0, h_api_member_contact },
	{ "GET",    "/api/v1/chapters",				ANY_ROLE, 0, h_api_chapters },

	/* administration */
	{ "GET",    "/admin",					ROLE_ADMIN, 0, h_admin },
	{ "POST",   "/admin/invitations",			ROLE_ADMIN, 0, h_admin_invite },
	{ "POST",   "/admin/users/:id",				ROLE_ADMIN, 0, h_admin_user_update },
	{ "POST",   "/admin/chapters",				ROLE_ADMIN, 0, h_admin_chapter_create },
	{ "GET",    "/api/v1/admin/users",			ROLE_ADMIN, 0, h_api_admin_users },
	{ "PATCH",  "/api/v1/admin/users/:id",			ROLE_ADMIN, 0, h_api_admin_user_update },
	{ "POST",   "/api/v1/admin/invitations",		ROLE_ADMIN, 0, h_api_admin_invite },
	{ "POST",   "/api/v1/admin/chapters",			ROLE_ADMIN, 0, h_api_admin_chapter_create },
	{ "GET",    "/api/v1/admin/audit/verify",		ROLE_ADMIN, 0, h_api_audit_verify },

	/* meetings: circles, the meeting finder, feeds, attendance (meetings/web.c) */
	/* -- meetings routes go here -- */
	{ "GET",    "/meetings",				POLICY_PUBLIC, 0, h_meetings_finder },
	{ "GET",    "/meetings/:slug",				POLICY_PUBLIC, 0, h_meeting_page },
	{ "GET",    "/api/v1/meetings.json",			POLICY_PUBLIC, 0, h_api_meetings_feed },
	{ "GET",    "/api/v1/meetings.ics",			POLICY_PUBLIC, 0, h_api_meetings_ics },
	{ "GET",    "/api/v1/meetings/:slug",			POLICY_PUBLIC, 0, h_api_meeting },
	{ "POST",   "/api/v1/meetings",				ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_meeting_create },
	{ "PATCH",  "/api/v1/meetings/:slug",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_meeting_update },
	{ "DELETE", "/api/v1/meetings/:slug",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_meeting_delete },
	{ "POST",   "/api/v1/meetings/:slug/exceptions",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_meeting_exception },
	{ "DELETE", "/api/v1/meetings/:slug/exceptions/:date",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_meeting_exception_delete },
	{ "POST",   "/api/v1/meetings/import",			ROLE_COORDINATOR | ROLE_ADMIN, ROUTE_RAW_BODY, h_api_meetings_import },
	{ "GET",    "/coordinator/import",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_meetings_import_form },
	/* reads its multipart body itself, so it checks the form's CSRF token itself */
	{ "POST",   "/coordinator/import",			ROLE_COORDINATOR | ROLE_ADMIN, ROUTE_RAW_BODY | ROUTE_CSRF_EXEMPT, h_meetings_import_submit },

	/* circles: peer-led groups, joining with the agreement, requests (circles/web.c) */
	/* -- circles routes go here -- */
	{ "GET",    "/circles",					ANY_ROLE, 0, h_circles },
	{ "GET",    "/circles/new",				ROLE_FACILITATOR | ROLE_COORDINATOR | ROLE_ADMIN, 0, h_circle_new_form },
	{ "POST",   "/circles",					ROLE_FACILITATOR | ROLE_COORDINATOR | ROLE_ADMIN, 0, h_circle_create },
	{ "GET",    "/circles/:id",				ANY_ROLE, 0, h_circle_page },
	{ "POST",   "/circles/:id/join",			ANY_ROLE, 0, h_circle_join },
	{ "POST",   "/circles/:id/leave",			ANY_ROLE, 0, h_circle_leave },
	{ "POST",   "/circles/:id/requests/:member/approve",	ANY_ROLE, 0, h_circle_request_approve },
	{ "POST",   "/circles/:id/requests/:member/decline",	ANY_ROLE, 0, h_circle_request_decline },
	{ "GET",    "/api/v1/circles",				ANY_ROLE, 0, h_api_circles },
	{ "POST",   "/api/v1/circles",				ROLE_FACILITATOR | ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_circle_create },
	{ "GET",    "/api/v1/circles/:id",			ANY_ROLE, 0, h_api_circle },
	{ "GET",    "/api/v1/circles/:id/members",		ANY_ROLE, 0, h_api_circle_members },
	{ "POST",   "/api/v1/circles/:id/join",			ANY_ROLE, 0, h_api_circle_join },
	{ "DELETE", "/api/v1/circles/:id/membership",		ANY_ROLE, 0, h_circle_leave },
	{ "POST",   "/api/v1/circles/:id/requests/:member/approve", ANY_ROLE, 0, h_circle_request_approve },
	{ "DELETE", "/api/v1/circles/:id/requests/:member",	ANY_ROLE, 0, h_circle_request_decline },
	/* circles: RSVPs and attendance (circles/web_attend.c) */
	{ "GET",    "/attendance",				ANY_ROLE, 0, h_attendance },
	{ "POST",   "/circles/:id/rsvp",			ANY_ROLE, 0, h_circle_rsvp },
	{ "POST",   "/circles/:id/checkin",			ANY_ROLE, 0, h_circle_checkin },
	{ "POST",   "/circles/:id/attendance",			ANY_ROLE, 0, h_circle_attendance_mark },
	{ "GET",    "/api/v1/circles/:id/sessions",		ANY_ROLE, 0, h_api_circle_sessions },
	{ "POST",   "/api/v1/circles/:id/rsvp",			ANY_ROLE, 0, h_api_circle_rsvp },
	{ "POST",   "/api/v1/circles/:id/checkin",		ANY_ROLE, 0, h_api_circle_checkin },
	{ "POST",   "/api/v1/circles/:id/attendance",		ANY_ROLE, 0, h_circle_attendance_mark },
	{ "GET",    "/api/v1/circles/:id/attendance",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_circle_attendance_counts },
	{ "GET",    "/api/v1/me/attendance",			ANY_ROLE, 0, h_api_my_attendance },
	{ "GET",    "/api/v1/members/:id/attendance",		ANY_ROLE, 0, h_api_member_attendance },
	/* circles: announcements to members (circles/web_announce.c) */
	{ "POST",   "/circles/:id/announcements",		ANY_ROLE, 0, h_circle_announce },
	{ "GET",    "/api/v1/circles/:id/announcements",	ANY_ROLE, 0, h_api_circle_announcements },
	{ "POST",   "/api/v1/circles/:id/announcements",	ANY_ROLE, 0, h_api_circle_announce },
	/* circles: leadership rota (circles/web_rota.c) */
	{ "POST",   "/circles/:id/volunteer",			ANY_ROLE, 0, h_circle_volunteer },
	{ "POST",   "/circles/:id/rota/unavailable",		ANY_ROLE, 0, h_circle_unavailable },
	{ "POST",   "/circles/:id/rota/swap",			ANY_ROLE, 0, h_circle_swap },
	{ "GET",    "/api/v1/circles/:id/rota",			ANY_ROLE, 0, h_api_circle_rota },
	{ "POST",   "/api/v1/circles/:id/volunteer",		ANY_ROLE, 0, h_circle_volunteer },
	{ "POST",   "/api/v1/circles/:id/rota/unavailable",	ANY_ROLE, 0, h_api_circle_unavailable },
	{ "POST",   "/api/v1/circles/:id/rota/swap",		ANY_ROLE, 0, h_api_circle_swap },
	/* circles: session agendas and facilitator notes (circles/web_agenda.c) */
	{ "POST",   "/circles/:id/agenda",			ANY_ROLE, 0, h_circle_agenda_save },
	{ "GET",    "/api/v1/circles/:id/agenda",		ANY_ROLE, 0, h_api_circle_agenda },
	{ "PUT",    "/api/v1/circles/:id/agenda",		ANY_ROLE, 0, h_circle_agenda_save },
	/* circles: signed proofs of attendance, verified publicly (circles/web_proof.c) */
	{ "POST",   "/attendance/proofs",			ANY_ROLE, 0, h_proof_create },
	{ "POST",   "/api/v1/me/attendance/proofs",		ANY_ROLE, 0, h_api_proof_create },
	{ "DELETE", "/api/v1/me/attendance/proofs/:proof",	ANY_ROLE, 0, h_api_proof_revoke },
	{ "GET",    "/verify/:proof",				POLICY_PUBLIC, 0, h_verify },
	{ "GET",    "/api/v1/verify/:proof",			POLICY_PUBLIC, 0, h_api_verify },

	/* coordinators' meeting pages (meetings/web_edit.c); "new" before ":slug" */
	{ "GET",    "/coordinator/meetings",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_meetings },
	{ "GET",    "/coordinator/meetings/new",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_meeting_new },
	{ "POST",   "/coordinator/meetings",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_meeting_create },
	{ "GET",    "/coordinator/meetings/:slug",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_meeting_page },
	{ "POST",   "/coordinator/meetings/:slug",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_meeting_update },
	{ "POST",   "/coordinator/meetings/:slug/sessions",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_meeting_session },
	{ "POST",   "/coordinator/meetings/:slug/sessions/:date/restore", ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_meeting_session_restore },
	/* a circle's meetings as iCalendar, for whoever may see the circle */
	{ "GET",    "/api/v1/circles/:id/meetings.ics",		ANY_ROLE, 0, h_api_circle_ics },
	/* attendance counts per meeting and session, as the API's (circles/web_attend.c) */
	{ "GET",    "/circles/:id/attendance",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_circle_attendance_counts },
	/* rota swaps wait for the other person's answer (circles/web_rota.c) */
	{ "POST",   "/circles/:id/rota/swaps/:swap/accept",	ANY_ROLE, 0, h_circle_swap_accept },
	{ "POST",   "/circles/:id/rota/swaps/:swap/decline",	ANY_ROLE, 0, h_circle_swap_decline },
	{ "POST",   "/api/v1/circles/:id/rota/swaps/:swap/accept", ANY_ROLE, 0, h_api_circle_swap_accept },
	{ "POST",   "/api/v1/circles/:id/rota/swaps/:swap/decline", ANY_ROLE, 0, h_api_circle_swap_decline },
	/* matching: profiles, suggestions, mentorships (matching/web.c) */
	{ "GET",    "/matching/profile",				ANY_ROLE, 0, h_matching_profile },
	{ "POST",   "/matching/profile",				ANY_ROLE, 0, h_matching_profile_save },
	{ "POST",   "/matching/mentorships/:id/end",		ANY_ROLE, 0, h_my_mentorship_end },
	{ "GET",    "/api/v1/me/matching-profile",			ANY_ROLE, 0, h_api_matching_profile },
	{ "PUT",    "/api/v1/me/matching-profile",			ANY_ROLE, 0, h_api_matching_profile_put },
	{ "DELETE", "/api/v1/me/mentorships/:id",			ANY_ROLE, 0, h_my_mentorship_end },
	{ "GET",    "/coordinator/matching",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_matching },
	{ "POST",   "/coordinator/matching/settings",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_matching_settings },
	{ "POST",   "/coordinator/matching/suggest",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_matching_suggest },
	{ "POST",   "/coordinator/matching/suggestions/:id/approve",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_matching_approve },
	{ "POST",   "/coordinator/matching/suggestions/:id/reject",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_matching_reject },
	{ "POST",   "/coordinator/matching/mentors/:id",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_matching_mentor },
	{ "POST",   "/coordinator/matching/mentorships/:id/end",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_mentorship_end },
	{ "GET",    "/api/v1/coordinator/matching",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_coord_matching },
	{ "PUT",    "/api/v1/coordinator/matching/settings",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_coord_matching_settings },
	{ "POST",   "/api/v1/coordinator/matching/suggest",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_coord_matching_suggest },
	{ "POST",   "/api/v1/coordinator/matching/suggestions/:id/approve",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_coord_matching_approve },
	{ "POST",   "/api/v1/coordinator/matching/suggestions/:id/reject",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_coord_matching_reject },
	{ "PUT",    "/api/v1/coordinator/matching/mentors/:id",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_coord_matching_mentor },
	{ "GET",    "/api/v1/coordinator/matching/profiles/:id",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_coord_matching_profile },
	{ "DELETE", "/api/v1/coordinator/matching/mentorships/:id",	ROLE_COORDINATOR | ROLE_ADMIN, 0, h_coord_mentorship_end },
	/* accountability: which meetings the MEETINGS text message lists (checkins/web_meeting_prefs.c) */
	{ "GET",    "/account/meeting-preferences",		ANY_ROLE, 0, h_meeting_prefs },
	{ "POST",   "/account/meeting-preferences",		ANY_ROLE, 0, h_meeting_prefs_submit },
	{ "GET",    "/api/v1/me/meeting-preferences",		ANY_ROLE, 0, h_api_meeting_prefs },
	{ "PUT",    "/api/v1/me/meeting-preferences",		ANY_ROLE, 0, h_api_meeting_prefs_put },
	/* a member's secret calendar address (circles/calendar_link.c); the feed is
	 * public because calendar apps send no cookie: the token is the key */
	{ "GET",    "/account/calendar",			ANY_ROLE, 0, h_calendar_link_page },
	{ "POST",   "/account/calendar",			ANY_ROLE, 0, h_calendar_link_create },
	{ "POST",   "/account/calendar/revoke",			ANY_ROLE, 0, h_calendar_link_revoke },
	{ "GET",    "/api/v1/me/calendar-link",			ANY_ROLE, 0, h_api_calendar_link },
	{ "POST",   "/api/v1/me/calendar-link",			ANY_ROLE, 0, h_api_calendar_link_create },
	{ "DELETE", "/api/v1/me/calendar-link",			ANY_ROLE, 0, h_api_calendar_link_delete },
	{ "GET",    "/calendar/:token",				POLICY_PUBLIC, 0, h_calendar_feed },

	/* accountability: check-ins, SMS, goals, milestones, partners, matching (checkins/web.c) */
	/* -- accountability routes go here -- */
	{ "GET",    "/checkins",				ANY_ROLE, 0, h_checkins },
	{ "POST",   "/checkins",				ANY_ROLE, 0, h_checkins_submit },
	{ "GET",    "/checkins/history",			ANY_ROLE, 0, h_checkins_history },
	{ "GET",    "/members/:id/checkins",			ANY_ROLE, 0, h_member_checkins },
	{ "POST",   "/api/v1/checkins",				ANY_ROLE, 0, h_api_checkins_create },
	{ "GET",    "/api/v1/checkins",				ANY_ROLE, 0, h_api_checkins_list },
	{ "GET",    "/api/v1/members/:id/checkins",		ANY_ROLE, 0, h_api_member_checkins },
	{ "GET",    "/goals",					ANY_ROLE, 0, h_goals },
	{ "POST",   "/goals",					ANY_ROLE, 0, h_goals_submit },
	{ "POST",   "/goals/:id/done",				ANY_ROLE, 0, h_goal_done },
	{ "POST",   "/goals/:id/undo",				ANY_ROLE, 0, h_goal_undo },
	{ "POST",   "/goals/:id/delete",			ANY_ROLE, 0, h_goal_delete },
	{ "GET",    "/api/v1/goals",				ANY_ROLE, 0, h_api_goals_list },
	{ "POST",   "/api/v1/goals",				ANY_ROLE, 0, h_api_goals_create },
	{ "PATCH",  "/api/v1/goals/:id",			ANY_ROLE, 0, h_api_goal_update },
	{ "DELETE", "/api/v1/goals/:id",			ANY_ROLE, 0, h_api_goal_delete },
	{ "GET",    "/api/v1/members/:id/goals",		ANY_ROLE, 0, h_api_member_goals },
	{ "GET",    "/recovery",				ANY_ROLE, 0, h_days },
	{ "POST",   "/recovery/start",				ANY_ROLE, 0, h_days_start },
	{ "POST",   "/recovery/relapses",			ANY_ROLE, 0, h_days_relapse },
	{ "GET",    "/api/v1/me/recovery",			ANY_ROLE, 0, h_api_recovery },
	{ "PATCH",  "/api/v1/me/recovery",			ANY_ROLE, 0, h_api_recovery_update },
	{ "POST",   "/api/v1/me/recovery/relapses",		ANY_ROLE, 0, h_api_recovery_relapse },
	{ "GET",    "/api/v1/members/:id/milestones",		ANY_ROLE, 0, h_api_member_milestones },
	{ "POST",   "/sms/inbound",				POLICY_PUBLIC, ROUTE_CSRF_EXEMPT, h_sms_inbound },
	{ "GET",    "/account/phone",				ANY_ROLE, 0, h_phone },
	{ "POST",   "/account/phone",				ANY_ROLE, 0, h_phone_submit },
	{ "POST",   "/account/phone/verify",			ANY_ROLE, 0, h_phone_verify },
	{ "POST",   "/account/phone/remove",			ANY_ROLE, 0, h_phone_remove },
	{ "GET",    "/api/v1/me/phone",				ANY_ROLE, 0, h_api_phone },
	{ "POST",   "/api/v1/me/phone",				ANY_ROLE, 0, h_api_phone_set },
	{ "POST",   "/api/v1/me/phone/verify",			ANY_ROLE, 0, h_api_phone_verify },
	{ "DELETE", "/api/v1/me/phone",				ANY_ROLE, 0, h_api_phone_delete },
	{ "GET",    "/reminders",				ANY_ROLE, 0, h_reminders },
	{ "POST",   "/reminders",				ANY_ROLE, 0, h_reminders_submit },
	{ "GET",    "/api/v1/me/reminders",			ANY_ROLE, 0, h_api_reminders },
	{ "PATCH",  "/api/v1/me/reminders",			ANY_ROLE, 0, h_api_reminders_update },
	{ "GET",    "/partnerships",				ANY_ROLE, 0, h_partners },
	{ "POST",   "/partnerships",				ANY_ROLE, 0, h_partners_propose },
	{ "POST",   "/partnerships/:id/accept",			ANY_ROLE, 0, h_partner_accept },
	{ "POST",   "/partnerships/:id/decline",		ANY_ROLE, 0, h_partner_decline },
	{ "POST",   "/partnerships/:id/end",			ANY_ROLE, 0, h_partner_end },
	{ "POST",   "/partnerships/:id/alert",			ANY_ROLE, 0, h_partner_alert },
	{ "POST",   "/partnerships/:id/nudge",			ANY_ROLE, 0, h_partner_nudge },
	{ "GET",    "/api/v1/partnerships",			ANY_ROLE, 0, h_api_partners },
	{ "GET",    "/api/v1/partnerships/candidates",		ANY_ROLE, 0, h_api_partner_candidates },
	{ "POST",   "/api/v1/partnerships",			ANY_ROLE, 0, h_api_partners_propose },
	{ "POST",   "/api/v1/partnerships/:id/accept",		ANY_ROLE, 0, h_api_partner_accept },
	{ "POST",   "/api/v1/partnerships/:id/decline",		ANY_ROLE, 0, h_api_partner_decline },
	{ "POST",   "/api/v1/partnerships/:id/end",		ANY_ROLE, 0, h_api_partner_end },
	{ "PATCH",  "/api/v1/partnerships/:id",			ANY_ROLE, 0, h_api_partner_update },
	{ "POST",   "/api/v1/partnerships/:id/nudge",		ANY_ROLE, 0, h_api_partner_nudge },

	/* safety: crisis plans, help now, on-call, outreach queue (safety/web.c) */
	/* -- safety routes go here -- */
	{ "GET",    "/crisis-plan",				ANY_ROLE, 0, h_crisis_plan },
	{ "POST",   "/crisis-plan",				ANY_ROLE, 0, h_crisis_plan_save },
	{ "GET",    "/crisis-plan/edit",			ANY_ROLE, 0, h_crisis_plan_edit },
	{ "POST",   "/crisis-plan/delete",			ANY_ROLE, 0, h_crisis_plan_delete },
	{ "POST",   "/crisis-plan/shares",			ANY_ROLE, 0, h_crisis_plan_share },
	{ "POST",   "/crisis-plan/shares/:id/revoke",		ANY_ROLE, 0, h_crisis_plan_unshare },
	{ "GET",    "/members/:id/crisis-plan",			ANY_ROLE, 0, h_member_crisis_plan },
	{ "GET",    "/api/v1/me/crisis-plan",			ANY_ROLE, 0, h_api_crisis_plan },
	{ "PUT",    "/api/v1/me/crisis-plan",			ANY_ROLE, 0, h_api_crisis_plan_put },
	{ "DELETE", "/api/v1/me/crisis-plan",			ANY_ROLE, 0, h_api_crisis_plan_delete },
	{ "GET",    "/api/v1/members/:id/crisis-plan",		ANY_ROLE, 0, h_api_member_crisis_plan },
	{ "GET",    "/api/v1/crisis-plans/shared-with-me",	ANY_ROLE, 0, h_api_crisis_plans_shared },
	{ "GET",    "/help-now",				ANY_ROLE, 0, h_help_now },
	{ "POST",   "/help-now",				ANY_ROLE, 0, h_help_now_raise },
	{ "GET",    "/help-now/status",				ANY_ROLE, 0, h_help_now_status },
	{ "POST",   "/help-now/safe",				ANY_ROLE, 0, h_help_now_safe },
	{ "GET",    "/api/v1/help-now",				ANY_ROLE, 0, h_api_help_now },
	{ "POST",   "/api/v1/help-now",				ANY_ROLE, 0, h_api_help_now_raise },
	{ "POST",   "/api/v1/help-now/safe",			ANY_ROLE, 0, h_api_help_now_safe },
	{ "GET",    "/api/v1/crisis-lines",			POLICY_PUBLIC, 0, h_api_crisis_lines },
	{ "GET",    "/alerts",					ANY_ROLE, 0, h_alerts },
	{ "GET",    "/alerts/list",				ANY_ROLE, ROUTE_BACKGROUND, h_alerts_list },
	/* the live notice on every page polls this (safety/web_live.c); before :id */
	{ "GET",    "/alerts/live",				ANY_ROLE, ROUTE_BACKGROUND, h_alerts_live },
	{ "GET",    "/alerts/:id",				ANY_ROLE, 0, h_alert },
	{ "POST",   "/alerts/:id/ack",				ANY_ROLE, 0, h_alert_ack },
	{ "GET",    "/api/v1/alerts",				ANY_ROLE, 0, h_api_alerts },
	{ "GET",    "/api/v1/alerts/:id",			ANY_ROLE, 0, h_api_alert },
	{ "POST",   "/api/v1/alerts/:id/ack",			ANY_ROLE, 0, h_api_alert_ack },
	{ "GET",    "/oncall",					ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR | ROLE_ADMIN, 0, h_oncall },
	{ "POST",   "/oncall",					ROLE_COORDINATOR | ROLE_ADMIN, 0, h_oncall_add },
	{ "POST",   "/oncall/:id/delete",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_oncall_remove },
	{ "GET",    "/api/v1/oncall",				ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_oncall },
	{ "POST",   "/api/v1/oncall",				ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_oncall_add },
	{ "DELETE", "/api/v1/oncall/:id",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_oncall_remove },
	{ "GET",    "/safety/settings",				ROLE_COORDINATOR | ROLE_ADMIN, 0, h_safety_settings },
	{ "POST",   "/safety/settings",				ROLE_COORDINATOR | ROLE_ADMIN, 0, h_safety_settings_save },
	{ "GET",    "/api/v1/safety/settings",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_safety_settings },
	{ "PUT",    "/api/v1/safety/settings",			ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_safety_settings_put },
	{ "GET",    "/outreach",				ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_outreach },
	{ "GET",    "/outreach/:id",				ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_outreach_item },
	{ "POST",   "/outreach/:id/claim",			ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_outreach_claim },
	{ "POST",   "/outreach/:id/contacts",			ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_outreach_contact },
	{ "POST",   "/outreach/:id/resolve",			ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_outreach_resolve },
	{ "GET",    "/api/v1/outreach",				ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_api_outreach },
	{ "POST",   "/api/v1/outreach/evaluate",		ROLE_COORDINATOR | ROLE_ADMIN, 0, h_api_outreach_evaluate },
	{ "GET",    "/api/v1/outreach/:id",			ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_api_outreach_item },
	{ "POST",   "/api/v1/outreach/:id/claim",		ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_api_outreach_claim },
	{ "POST",   "/api/v1/outreach/:id/contacts",		ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_api_outreach_contact },
	{ "POST",   "/api/v1/outreach/:id/resolve",		ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR, 0, h_api_outreach_resolve },
	{ "GET",    "/reach-outs",				ANY_ROLE, 0, h_reach_outs },
	{ "GET",    "/api/v1/me/reach-outs",			ANY_ROLE, 0, h_api_reach_outs },

	/* tests only (CIRCLES_TEST_MODE=1): drive the clock, read the outbox */
	{ "POST",   "/api/v1/test/clock",			POLICY_PUBLIC, ROUTE_TEST_ONLY | ROUTE_CSRF_EXEMPT, h_test_clock },
	{ "GET",    "/api/v1/test/outbox",			POLICY_PUBLIC, ROUTE_TEST_ONLY, h_test_outbox },
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);

/*
 * Match one pattern against a path segment by segment.  ":name" matches one
 * non-empty segment.  A trailing slash is not the same path.
 */
static bool
pattern_match(struct arena *a, const char *pat, const char *path, const char **params,
    int *nparams)
{
	int n = 0;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == ':') {
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);

			if (len == 0 || n == CTX_MAX_PARAMS)
				return false;
			params[n++] = arena_strndup(a, path, len);
			path += len;
			while (*pat != '\0' && *pat != '/')
				pat++;
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	if (*pat != '\0' || *path != '\0')
		return false;
	*nparams = n;
	return true;
}

const struct route *
routes_match(struct arena *a, const char *method, const char *path, const char **params,
    int *nparams, bool *method_mismatch)
{
	size_t i;
	const char *tmp[CTX_MAX_PARAMS];
	int n;

	*method_mismatch = false;
	for (i = 0; i < routes_count; i++) {
		if (!pattern_match(a, routes[i].pattern, path, tmp, &n))
			continue;
		if (strcmp(routes[i].method, method) != 0) {
			*method_mismatch = true;
			continue;
		}
		memcpy(params, tmp, sizeof(tmp));
		*nparams = n;
		return &routes[i];
	}
	return NULL;
}

void
routes_print_json(void)
{
	size_t i;
	int r;

	printf("[\n");
	for (i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		bool first = true;

		printf("  {\"method\": \"%s\", \"pattern\": \"%s\", \"policy\": ", rt->method,
		    rt->pattern);
		if (rt->policy & POLICY_PUBLIC)
			printf("\"public\"");
		else if (rt->policy & POLICY_SIGNED_OUT)
			printf("\"signed_out\"");
		else {
			printf("[");
			for (r = 0; r < ROLE_COUNT; r++) {
				if (rt->policy & role_at(r)) {
					printf("%s\"%s\"", first ? "" : ", ", role_token(role_at(r)));
					first = false;
				}
			}
			printf("]");
		}
		printf(", \"csrf_exempt\": %s, \"test_only\": %s, \"background\": %s}%s\n",
		    rt->flags & ROUTE_CSRF_EXEMPT ? "true" : "false",
		    rt->flags & ROUTE_TEST_ONLY ? "true" : "false",
		    rt->flags & ROUTE_BACKGROUND ? "true" : "false",
		    i + 1 < routes_count ? "," : "");
	}
	printf("]\n");
}
