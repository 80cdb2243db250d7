package io.cloudpilot.platform.http;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deadline's state machine on the test's own thread (the filters ignore their JAX-RS contexts): a deadline
 * disarmed in time never interrupts the thread later; one that passes interrupts what the thread waits on, the
 * error becomes 503 {@code ClusterTimeout}, and disarming clears the interrupt so the thread's next request starts
 * clean. The real-server behaviour is in the testkit's {@code RequestDeadlineTest}.
 */
class RequestDeadlineTest {

    @AfterEach
    void clean() {
        RequestDeadline.finish();
        Thread.interrupted();
    }

    @Test
    void aDisarmedDeadlineNeverInterrupts() throws Exception {
        RequestDeadline deadline = new RequestDeadline(Duration.ofMillis(100));
        deadline.filter(null);
        deadline.filter(null, null);
        Thread.sleep(500); // well past the deadline: a late timer would interrupt this sleep
        assertFalse(Thread.currentThread().isInterrupted());
        assertFalse(RequestDeadline.expired());
    }

    @Test
    void aPassedDeadlineInterruptsThenIsCleared() {
        RequestDeadline deadline = new RequestDeadline(Duration.ofMillis(200));
        deadline.filter(null);
        assertThrows(InterruptedException.class, () -> Thread.sleep(30_000));
        assertTrue(RequestDeadline.expired());
        Envelope answer = ErrorMapper.toEnvelope(new IllegalStateException("wrapped", new InterruptedException()), "/x");
        assertEquals(503, answer.code());
        assertThat(answer.toString()).as(answer.toString()).contains("ClusterTimeout");
        assertThat(answer.message()).as(answer.message()).contains("within 0.2 s");

        Thread.currentThread().interrupt(); // as if the interrupt came just before the answer was ready
        deadline.filter(null, null);
        assertFalse(Thread.currentThread().isInterrupted(), "the deadline's interrupt does not outlive its request");
        assertFalse(RequestDeadline.expired());
    }

    @Test
    void aClientErrorKeepsItsStatusAfterTheDeadlinePassed() {
        RequestDeadline deadline = new RequestDeadline(Duration.ofMillis(100));
        deadline.filter(null);
        assertThrows(InterruptedException.class, () -> Thread.sleep(30_000));
        Thread.interrupted();
        assertTrue(RequestDeadline.expired(), "the deadline passed");
        // control: in the same state, an error that is no client error is the deadline's 503
        assertEquals(503, ErrorMapper.toEnvelope(new IllegalStateException("late"), "/x").code());
        Envelope refused = ErrorMapper.toEnvelope(new io.cloudpilot.spi.ApiException.ValidationError("bad"), "/x");
        assertEquals(400, refused.code(), "a refusal of the request is not a timeout: " + refused);
        deadline.filter(null, null);
    }
}
