package ai.infinium.connector.redact;

import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.ConnectorSettings;
import ai.infinium.connector.config.ProjectConfig;
import java.util.List;

/**
 * Whether traces are redacted, and by which rules: on by default; {@code CONNECTOR_REDACT}
 * decides first (so a cloned repository's config cannot switch it off for a user who said on),
 * then the project's {@code redact.enabled}. The project adds its own rules and allow patterns.
 *
 * @param offBecause what switched redaction off, in words; null while it is on
 * @param problem what is wrong with the project's settings (traces wait for the fix); null when nothing
 * @param warning a switch not understood and so ignored; null when none
 */
public record RedactionPolicy(boolean on, String offBecause, List<String> extra, List<String> allow, String problem,
        String warning) {

    public static RedactionPolicy of(ConnectorSettings settings, ProjectConfig project) {
        ProjectConfig.Redaction r = project == null ? ProjectConfig.Redaction.UNSET : project.redaction();
        Boolean env = settings.redact();
        String problem = r.problem();
        String warning = env == null && settings.redactValue() != null && !settings.redactValue().isBlank()
                ? ConnectorSettings.REDACT + "=" + settings.redactValue() + " is not understood (use on or off)"
                : null;
        if (Boolean.FALSE.equals(env)) {
            return new RedactionPolicy(false, ConnectorSettings.REDACT + "=" + settings.redactValue().trim(), r.extra(),
                    r.allow(), problem, warning);
        }
        if (env == null && Boolean.FALSE.equals(r.enabled())) {
            return new RedactionPolicy(false, project.file() + " sets \"redact\": {\"enabled\": false}", r.extra(),
                    r.allow(), problem, warning);
        }
        return new RedactionPolicy(true, null, r.extra(), r.allow(), problem, warning);
    }

    /** Which rules apply, in words: "123 built-in rules, 1 of the project's, 2 allow pattern(s)". */
    public String rulesInWords(Redactor builtIn) {
        return builtIn.ruleIds().size() + " built-in rules" + (extra.isEmpty() ? "" : ", " + extra.size() + " of the project's")
                + (allow.isEmpty() ? "" : ", " + allow.size() + " allow pattern(s)");
    }

    /**
     * The redactor the flush applies. Refuses while the project's settings are wrong: its own
     * rules may be what keeps a secret out, so nothing is sent until the file is fixed.
     */
    public Redactor redactor(Redactor builtIn) throws ConfigException {
        if (problem != null) {
            throw new ConfigException(problem + "; traces wait until it is fixed");
        }
        return on ? builtIn.with(extra, allow) : Redactor.none();
    }
}
