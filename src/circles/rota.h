/*
 * rota.h: proposing who leads a circle's coming sessions, as a pure function.
 *
 * Round-robin, fair over the window: each open session goes to the
 * available person who has led the fewest sessions in the window so far
 * (sessions already fixed, by a swap, count), then to whoever led least
 * recently, then in the pool's order.  A person is skipped on a session
 * they said they cannot make; a session nobody can lead stays open (0).
 */
#ifndef CIRCLES_CIRCLES_ROTA_H
#define CIRCLES_CIRCLES_ROTA_H

#include <stddef.h>
#include <stdint.h>

#define ROTA_SESSIONS_DEFAULT	8
#define ROTA_SESSIONS_MAX	26

struct rota_unavailable {
	int64_t	user_id;
	int64_t	meeting_id;
	int64_t	start;
};

struct rota_slot {
	int64_t	meeting_id;
	int64_t	start;		/* slots sorted by start */
	int64_t	fixed_user;	/* set by a swap: kept as is; 0 to propose */
	int64_t	user;		/* out: who leads, 0 if nobody can */
};

/** Fill slots[i].user for every slot (see the file comment). */
void	rota_propose(const int64_t *pool, size_t npool, const struct rota_unavailable *un,
	    size_t nun, struct rota_slot *slots, size_t nslots);

#endif
