package ai.infinium.connector;

/** Lets the hook finish its few milliseconds of work when the agent signals it on exit. */
final class SignalShield {
    private SignalShield() {}

    @SuppressWarnings("removal")
    static void ignoreTermination() {
        for (String name : new String[] {"TERM", "HUP", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sun.misc.SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not a signal on this OS (Windows has no HUP): nothing to shield.
            }
        }
    }
}
