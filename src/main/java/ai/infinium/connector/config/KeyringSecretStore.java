package ai.infinium.connector.config;

import com.github.javakeyring.BackendNotSupportedException;
import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The OS keyring (macOS Keychain, Windows Credential Manager, Linux Secret Service) through
 * java-keyring; the entry is service {@code infinium}, account = the agent id, so a person can find
 * it with the OS's own tools ({@code secret-tool lookup service infinium account <id>}). Every call
 * is bounded: a keyring that waits on an unlock prompt nobody answers must not hang a command.
 */
public final class KeyringSecretStore implements SecretStore, AutoCloseable {
    public static final String SERVICE = "infinium";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Keyring keyring;
    private final ExecutorService calls = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keyring");
        t.setDaemon(true);
        return t;
    });

    private KeyringSecretStore(Keyring keyring) {
        this.keyring = keyring;
    }

    /** The keyring if one answers, else an exception saying why not (in words for {@code status}). */
    public static KeyringSecretStore open() throws IOException {
        ExecutorService probe = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "keyring-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            Callable<Keyring> create = Keyring::create;
            Keyring k = probe.submit(create).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            KeyringSecretStore store = new KeyringSecretStore(k);
            // A backend can exist while its service is unreachable or locked: ask it something.
            store.call(() -> {
                try {
                    return k.getPassword(SERVICE, "infinium-keyring-probe");
                } catch (PasswordAccessException missing) {
                    return null;
                }
            });
            return store;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BackendNotSupportedException) {
                throw new IOException("no OS keyring backend available", cause);
            }
            throw new IOException("OS keyring unavailable: " + cause, cause);
        } catch (TimeoutException e) {
            throw new IOException("OS keyring did not answer within " + CALL_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening the OS keyring");
        } finally {
            probe.shutdownNow();
        }
    }

    public String backend() {
        return String.valueOf(keyring.getKeyringStorageType());
    }

    @Override
    public String kind() {
        return "keyring";
    }

    @Override
    public String describe() {
        return "OS keyring (" + backend() + "), service '" + SERVICE + "', account = the agent id";
    }

    @Override
    public Optional<String> get(String agentId) throws IOException {
        return Optional.ofNullable(call(() -> {
            try {
                return keyring.getPassword(SERVICE, agentId);
            } catch (PasswordAccessException missing) {
                return null;
            }
        }));
    }

    @Override
    public void put(String agentId, String secret) throws IOException {
        call(() -> {
            keyring.setPassword(SERVICE, agentId, secret);
            return null;
        });
    }

    @Override
    public void delete(String agentId) throws IOException {
        call(() -> {
            try {
                keyring.deletePassword(SERVICE, agentId);
            } catch (PasswordAccessException missing) {
                // deleting what is not there is done
            }
            return null;
        });
    }

    private <T> T call(Callable<T> c) throws IOException {
        Future<T> f = calls.submit(c);
        try {
            return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("OS keyring: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException("OS keyring did not answer within " + CALL_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while using the OS keyring");
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        try {
            keyring.close();
        } catch (Exception ignored) {
            // closing a D-Bus connection that already went away
        }
    }
}
