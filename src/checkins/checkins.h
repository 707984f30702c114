/*
 * checkins.h: the accountability area's start-up.
 */
#ifndef CIRCLES_CHECKINS_CHECKINS_H
#define CIRCLES_CHECKINS_CHECKINS_H

/**
 * Register the area's job handlers (outbound texts, reminders...).  Call
 * once at start-up, before the job worker starts.
 */
void	checkins_init(void);

#endif
