"""The job queue with a real SMTP sink: retries with backoff driven by the
test clock, and no duplicate sends after a restart."""
import time
import unittest

from circles import CirclesServer


class JobsTest(unittest.TestCase):
    def test_retry_after_temporary_failure_then_once_only(self):
        srv = CirclesServer(smtp_args=("--fail-first", "1")).start()
        try:
            u = srv.create_user(role="member")
            c = srv.client()
            self.assertEqual(c.api("POST", "/api/v1/password/forgot", {"email": u.email},
                                   csrf=False).status, 202)
            deadline = time.time() + 30
            while time.time() < deadline:
                jobs = c.get("/api/v1/test/outbox").json()["jobs"]
                if jobs and jobs[0]["attempts"] >= 1 and jobs[0]["state"] == "queued":
                    break
                time.sleep(0.1)
            self.assertEqual((jobs[0]["state"], jobs[0]["attempts"]), ("queued", 1), jobs)
            # failed once (451 from the sink), waiting for its backoff
            self.assertEqual(srv.smtp.messages(), [])
            srv.clock(advance=31)                                  # past the first backoff
            msgs = srv.smtp.wait_for(1, timeout=30)
            self.assertEqual(msgs[0]["To"], u.email)
            # The sink has the message; the worker marks the job done right after.
            deadline = time.time() + 15
            while time.time() < deadline:
                jobs = c.get("/api/v1/test/outbox").json()["jobs"]
                if jobs[0]["state"] != "running":
                    break
                time.sleep(0.05)
            self.assertEqual((jobs[0]["state"], jobs[0]["attempts"]), ("done", 2))
            # A restart does not send it again, and asking again within ten minutes sends nothing new.
            srv.stop()
            srv.start()
            c = srv.client()
            c.api("POST", "/api/v1/password/forgot", {"email": u.email}, csrf=False)
            time.sleep(1.0)
            self.assertEqual(len(srv.smtp.messages()), 1)
            self.assertEqual(len(c.get("/api/v1/test/outbox").json()["jobs"]), 1)
        finally:
            srv.close()


if __name__ == "__main__":
    unittest.main()
