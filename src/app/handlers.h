/*
 * handlers.h: every request handler, grouped by capability.  The route
 * table (routes.c) is the only caller.  Handlers live beside their
 * capability: src/<capability>/web.c.
 */
#ifndef CIRCLES_APP_HANDLERS_H
#define CIRCLES_APP_HANDLERS_H

#include "app/ctx.h"

/* app/system.c: home, language, metrics, test clock */
void	h_home(struct ctx *c);
void	h_lang(struct ctx *c);
void	h_metrics(struct ctx *c);
void	h_test_clock(struct ctx *c);
void	h_test_outbox(struct ctx *c);

/* accounts/web.c: sign-up, sign-in, sessions, passwords, two-step, profile */
void	h_api_session_create(struct ctx *c);
void	h_api_session_delete(struct ctx *c);
void	h_api_me(struct ctx *c);
void	h_api_me_update(struct ctx *c);
void	h_api_register(struct ctx *c);
void	h_api_password_change(struct ctx *c);
void	h_api_password_forgot(struct ctx *c);
void	h_api_password_reset(struct ctx *c);
void	h_api_sessions_list(struct ctx *c);
void	h_api_sessions_delete_all(struct ctx *c);
void	h_api_session_revoke(struct ctx *c);
void	h_api_totp_setup(struct ctx *c);
void	h_api_totp_enable(struct ctx *c);
void	h_api_totp_disable(struct ctx *c);
void	h_login_form(struct ctx *c);
void	h_login_submit(struct ctx *c);
void	h_login_code_form(struct ctx *c);
void	h_login_code_submit(struct ctx *c);
void	h_logout(struct ctx *c);
void	h_signup_form(struct ctx *c);
void	h_signup_submit(struct ctx *c);
void	h_forgot_form(struct ctx *c);
void	h_forgot_submit(struct ctx *c);
void	h_reset_form(struct ctx *c);
void	h_reset_submit(struct ctx *c);
void	h_account(struct ctx *c);
void	h_account_update(struct ctx *c);
void	h_account_password(struct ctx *c);
void	h_account_sessions_revoke_all(struct ctx *c);
void	h_account_session_revoke(struct ctx *c);
void	h_account_totp_setup(struct ctx *c);
void	h_account_totp_enable(struct ctx *c);
void	h_account_totp_disable(struct ctx *c);
void	h_invite_accept_form(struct ctx *c);

/* privacy/web.c: consents, "who saw my data", export, delete */
void	h_api_consents_list(struct ctx *c);
void	h_api_consent_create(struct ctx *c);
void	h_api_consent_revoke(struct ctx *c);
void	h_api_audit(struct ctx *c);
void	h_api_audit_verify(struct ctx *c);
void	h_api_export(struct ctx *c);
void	h_api_me_delete(struct ctx *c);
void	h_api_member_contact(struct ctx *c);
void	h_api_grantees(struct ctx *c);
void	h_privacy(struct ctx *c);
void	h_privacy_consent_create(struct ctx *c);
void	h_privacy_consent_revoke(struct ctx *c);
void	h_privacy_audit(struct ctx *c);
void	h_privacy_export(struct ctx *c);
void	h_privacy_delete(struct ctx *c);

/* admin/web.c: people, invitations, roles, chapters */
void	h_api_admin_users(struct ctx *c);
void	h_api_admin_user_update(struct ctx *c);
void	h_api_admin_invite(struct ctx *c);
void	h_api_chapters(struct ctx *c);
void	h_api_admin_chapter_create(struct ctx *c);
void	h_admin(struct ctx *c);
void	h_admin_invite(struct ctx *c);
void	h_admin_user_update(struct ctx *c);
void	h_admin_chapter_create(struct ctx *c);

/* meetings/web.c: circles, meetings, the finder, feeds, attendance */
/* -- meetings handlers go here -- */
void	h_api_meetings_feed(struct ctx *c);
void	h_api_meetings_ics(struct ctx *c);
void	h_api_meeting(struct ctx *c);
void	h_api_meeting_create(struct ctx *c);
void	h_api_meeting_update(struct ctx *c);
void	h_api_meeting_delete(struct ctx *c);
void	h_api_meeting_exception(struct ctx *c);
void	h_api_meeting_exception_delete(struct ctx *c);
void	h_api_meetings_import(struct ctx *c);
void	h_meetings_finder(struct ctx *c);
void	h_meeting_page(struct ctx *c);
void	h_meetings_import_form(struct ctx *c);
void	h_meetings_import_submit(struct ctx *c);

/* circles/web.c: peer-led circles, joining, requests */
/* -- circles handlers go here -- */
void	h_circles(struct ctx *c);
void	h_circle_new_form(struct ctx *c);
void	h_circle_create(struct ctx *c);
void	h_circle_page(struct ctx *c);
void	h_circle_join(struct ctx *c);
void	h_circle_leave(struct ctx *c);
void	h_circle_request_approve(struct ctx *c);
void	h_circle_request_decline(struct ctx *c);
void	h_api_circles(struct ctx *c);
void	h_api_circle_create(struct ctx *c);
void	h_api_circle(struct ctx *c);
void	h_api_circle_members(struct ctx *c);
void	h_api_circle_join(struct ctx *c);
/* circles/web_attend.c: RSVPs, attendance, history, counts */
void	h_attendance(struct ctx *c);
void	h_circle_rsvp(struct ctx *c);
void	h_circle_checkin(struct ctx *c);
void	h_circle_attendance_mark(struct ctx *c);
void	h_api_circle_sessions(struct ctx *c);
void	h_api_circle_rsvp(struct ctx *c);
void	h_api_circle_checkin(struct ctx *c);
void	h_api_circle_attendance_counts(struct ctx *c);
void	h_api_my_attendance(struct ctx *c);
void	h_api_member_attendance(struct ctx *c);
/* circles/web_announce.c: announcements */
void	h_circle_announce(struct ctx *c);
void	h_api_circle_announcements(struct ctx *c);
void	h_api_circle_announce(struct ctx *c);
/* circles/web_rota.c: leadership rota */
void	h_circle_volunteer(struct ctx *c);
void	h_circle_unavailable(struct ctx *c);
void	h_circle_swap(struct ctx *c);
void	h_api_circle_rota(struct ctx *c);
void	h_api_circle_unavailable(struct ctx *c);
void	h_api_circle_swap(struct ctx *c);
/* circles/web_agenda.c: agendas and facilitator notes */
void	h_circle_agenda_save(struct ctx *c);
void	h_api_circle_agenda(struct ctx *c);
/* circles/web_proof.c: signed proofs of attendance */
void	h_proof_create(struct ctx *c);
void	h_api_proof_create(struct ctx *c);
void	h_api_proof_revoke(struct ctx *c);
void	h_verify(struct ctx *c);
void	h_api_verify(struct ctx *c);

/* meetings/web_edit.c: coordinators add and change meetings, cancel or move sessions */
void	h_coord_meetings(struct ctx *c);
void	h_coord_meeting_new(struct ctx *c);
void	h_coord_meeting_create(struct ctx *c);
void	h_coord_meeting_page(struct ctx *c);
void	h_coord_meeting_update(struct ctx *c);
void	h_coord_meeting_session(struct ctx *c);
void	h_coord_meeting_session_restore(struct ctx *c);
/* circles/web_attend.c, web_rota.c: a circle's calendar, attendance counts, rota swaps */
void	h_api_circle_ics(struct ctx *c);
void	h_circle_attendance_counts(struct ctx *c);
void	h_api_circle_swap_accept(struct ctx *c);
void	h_api_circle_swap_decline(struct ctx *c);
void	h_circle_swap_accept(struct ctx *c);
void	h_circle_swap_decline(struct ctx *c);
/* matching/web.c: matching profiles, coordinators' suggestions and mentorships */
void	h_matching_profile(struct ctx *c);
void	h_matching_profile_save(struct ctx *c);
void	h_my_mentorship_end(struct ctx *c);
void	h_api_matching_profile(struct ctx *c);
void	h_api_matching_profile_put(struct ctx *c);
void	h_coord_matching(struct ctx *c);
void	h_coord_matching_settings(struct ctx *c);
void	h_coord_matching_suggest(struct ctx *c);
void	h_coord_matching_approve(struct ctx *c);
void	h_coord_matching_reject(struct ctx *c);
void	h_coord_matching_mentor(struct ctx *c);
void	h_coord_mentorship_end(struct ctx *c);
void	h_api_coord_matching(struct ctx *c);
void	h_api_coord_matching_settings(struct ctx *c);
void	h_api_coord_matching_suggest(struct ctx *c);
void	h_api_coord_matching_approve(struct ctx *c);
void	h_api_coord_matching_reject(struct ctx *c);
void	h_api_coord_matching_mentor(struct ctx *c);
void	h_api_coord_matching_profile(struct ctx *c);
/* checkins/web_meeting_prefs.c: which meetings the MEETINGS text message lists */
void	h_meeting_prefs(struct ctx *c);
void	h_meeting_prefs_submit(struct ctx *c);
void	h_api_meeting_prefs(struct ctx *c);
void	h_api_meeting_prefs_put(struct ctx *c);
/* circles/calendar_link.c: the member's secret calendar address and its feed */
void	h_calendar_link_page(struct ctx *c);
void	h_calendar_link_create(struct ctx *c);
void	h_calendar_link_revoke(struct ctx *c);
void	h_api_calendar_link(struct ctx *c);
void	h_api_calendar_link_create(struct ctx *c);
void	h_api_calendar_link_delete(struct ctx *c);
void	h_calendar_feed(struct ctx *c);

/* checkins/web.c: check-ins, SMS webhook, goals, milestones, partners, matching */
/* -- accountability handlers go here -- */
void	h_checkins(struct ctx *c);
void	h_checkins_submit(struct ctx *c);
void	h_checkins_history(struct ctx *c);
void	h_member_checkins(struct ctx *c);
void	h_api_checkins_create(struct ctx *c);
void	h_api_checkins_list(struct ctx *c);
void	h_api_member_checkins(struct ctx *c);
void	h_goals(struct ctx *c);
void	h_goals_submit(struct ctx *c);
void	h_goal_done(struct ctx *c);
void	h_goal_undo(struct ctx *c);
void	h_goal_delete(struct ctx *c);
void	h_api_goals_list(struct ctx *c);
void	h_api_goals_create(struct ctx *c);
void	h_api_goal_update(struct ctx *c);
void	h_api_goal_delete(struct ctx *c);
void	h_api_member_goals(struct ctx *c);
void	h_days(struct ctx *c);
void	h_days_start(struct ctx *c);
void	h_days_relapse(struct ctx *c);
void	h_api_recovery(struct ctx *c);
void	h_api_recovery_update(struct ctx *c);
void	h_api_recovery_relapse(struct ctx *c);
void	h_api_member_milestones(struct ctx *c);
void	h_sms_inbound(struct ctx *c);
void	h_phone(struct ctx *c);
void	h_phone_submit(struct ctx *c);
void	h_phone_verify(struct ctx *c);
void	h_phone_remove(struct ctx *c);
void	h_api_phone(struct ctx *c);
void	h_api_phone_set(struct ctx *c);
void	h_api_phone_verify(struct ctx *c);
void	h_api_phone_delete(struct ctx *c);
void	h_reminders(struct ctx *c);
void	h_reminders_submit(struct ctx *c);
void	h_api_reminders(struct ctx *c);
void	h_api_reminders_update(struct ctx *c);
void	h_partners(struct ctx *c);
void	h_partners_propose(struct ctx *c);
void	h_partner_accept(struct ctx *c);
void	h_partner_decline(struct ctx *c);
void	h_partner_end(struct ctx *c);
void	h_partner_alert(struct ctx *c);
void	h_partner_nudge(struct ctx *c);
void	h_api_partners(struct ctx *c);
void	h_api_partner_candidates(struct ctx *c);
void	h_api_partners_propose(struct ctx *c);
void	h_api_partner_accept(struct ctx *c);
void	h_api_partner_decline(struct ctx *c);
void	h_api_partner_end(struct ctx *c);
void	h_api_partner_update(struct ctx *c);
void	h_api_partner_nudge(struct ctx *c);

/* safety/web.c: crisis plans, help now, on-call rota, outreach queue */
/* -- safety handlers go here -- */
void	h_crisis_plan(struct ctx *c);
void	h_crisis_plan_edit(struct ctx *c);
void	h_crisis_plan_save(struct ctx *c);
void	h_crisis_plan_delete(struct ctx *c);
void	h_crisis_plan_share(struct ctx *c);
void	h_crisis_plan_unshare(struct ctx *c);
void	h_member_crisis_plan(struct ctx *c);
void	h_api_crisis_plan(struct ctx *c);
void	h_api_crisis_plan_put(struct ctx *c);
void	h_api_crisis_plan_delete(struct ctx *c);
void	h_api_member_crisis_plan(struct ctx *c);
void	h_api_crisis_plans_shared(struct ctx *c);
void	h_help_now(struct ctx *c);
void	h_help_now_status(struct ctx *c);
void	h_help_now_raise(struct ctx *c);
void	h_help_now_safe(struct ctx *c);
void	h_api_help_now(struct ctx *c);
void	h_api_help_now_raise(struct ctx *c);
void	h_api_help_now_safe(struct ctx *c);
void	h_alerts(struct ctx *c);
void	h_alerts_list(struct ctx *c);
/* safety/web_live.c: the live notice's fragment */
void	h_alerts_live(struct ctx *c);
void	h_alert(struct ctx *c);
void	h_alert_ack(struct ctx *c);
void	h_api_alerts(struct ctx *c);
void	h_api_alert(struct ctx *c);
void	h_api_alert_ack(struct ctx *c);
void	h_api_crisis_lines(struct ctx *c);
void	h_oncall(struct ctx *c);
void	h_oncall_add(struct ctx *c);
void	h_oncall_remove(struct ctx *c);
void	h_api_oncall(struct ctx *c);
void	h_api_oncall_add(struct ctx *c);
void	h_api_oncall_remove(struct ctx *c);
void	h_safety_settings(struct ctx *c);
void	h_safety_settings_save(struct ctx *c);
void	h_api_safety_settings(struct ctx *c);
void	h_api_safety_settings_put(struct ctx *c);
void	h_outreach(struct ctx *c);
void	h_outreach_item(struct ctx *c);
void	h_outreach_claim(struct ctx *c);
void	h_outreach_contact(struct ctx *c);
void	h_outreach_resolve(struct ctx *c);
void	h_api_outreach(struct ctx *c);
void	h_api_outreach_item(struct ctx *c);
void	h_api_outreach_claim(struct ctx *c);
void	h_api_outreach_contact(struct ctx *c);
void	h_api_outreach_resolve(struct ctx *c);
void	h_api_outreach_evaluate(struct ctx *c);
void	h_reach_outs(struct ctx *c);
void	h_api_reach_outs(struct ctx *c);

#endif
