package ai.infinium.connector.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A strict, allocation-light JSON checker and compactor for the hook. It validates one JSON value
 * (RFC 8259, UTF-8), copies it without insignificant whitespace, and decodes the top-level string
 * fields it is asked for. It exists because a general JSON parser is the hook's biggest start-up
 * cost: jackson-core's parser pulls in BigDecimal/BigInteger initialisation (≈11 ms per hook,
 * measured with -Xlog:class+init), and the hook needs none of that: numbers are copied, not read.
 */
final class JsonLine {
    static final int MAX_DEPTH = 512;

    private final byte[] in;
    private final ByteArrayOutputStream out;
    private final Set<String> wanted;
    private final Map<String, String> found = new HashMap<>();
    private int pos;

    private JsonLine(byte[] in, ByteArrayOutputStream out, Set<String> wanted) {
        this.in = in;
        this.out = out;
        this.wanted = wanted;
    }

    /**
     * Writes the compacted object to {@code out} and returns the wanted top-level string fields.
     *
     * @throws IOException if the input is not exactly one JSON object
     */
    static Map<String, String> compactObject(byte[] in, ByteArrayOutputStream out, Set<String> wanted)
            throws IOException {
        JsonLine j = new JsonLine(in, out, wanted);
        j.skipBom();
        j.skipSpace();
        if (j.pos >= in.length || in[j.pos] != '{') {
            throw j.error("hook payload is not a JSON object");
        }
        j.value(0);
        j.skipSpace();
        if (j.pos != in.length) {
            throw j.error("data after the JSON object");
        }
        return j.found;
    }

    private void value(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (pos >= in.length) {
            throw error("unexpected end of input");
        }
        byte b = in[pos];
        switch (b) {
            case '{': object(depth); break;
            case '[': array(depth); break;
            case '"': string(false); break;
            case 't': literal("true"); break;
            case 'f': literal("false"); break;
            case 'n': literal("null"); break;
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    number();
                } else {
                    throw error("unexpected character");
                }
        }
    }

    private void object(int depth) throws IOException {
        out.write(in[pos++]);
        skipSpace();
        if (peek() == '}') {
            out.write(in[pos++]);
            return;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a field name");
            }
            String key = string(depth == 0);
            skipSpace();
            if (peek() != ':') {
                throw error("expected ':'");
            }
            out.write(in[pos++]);
            skipSpace();
            if (depth == 0 && key != null && wanted.contains(key) && peek() == '"') {
                found.put(key, string(true));
            } else {
                value(depth + 1);
            }
            if (closed('}')) {
                return;
            }
        }
    }

    private void array(int depth) throws IOException {
        out.write(in[pos++]);
        skipSpace();
        if (peek() == ']') {
            out.write(in[pos++]);
            return;
        }
        while (true) {
            value(depth + 1);
            if (closed(']')) {
                return;
            }
        }
    }

    /** After a member: copies the ',' (false: another follows) or the closing bracket (true). */
    private boolean closed(char close) throws IOException {
        skipSpace();
        int b = peek();
        if (b != ',' && b != close) {
            throw error("expected ',' or '" + close + "'");
        }
        out.write(in[pos++]);
        return b == close;
    }

    /** Copies a string verbatim; decodes it too when {@code decode} (null otherwise). */
    private String string(boolean decode) throws IOException {
        int start = pos++;
        StringBuilder sb = decode ? new StringBuilder() : null;
        while (true) {
            if (pos >= in.length) {
                throw error("unterminated string");
            }
            int b = in[pos] & 0xff;
            if (b == '"') {
                pos++;
                break;
            }
            if (b < 0x20) {
                throw error("control character in a string");
            }
            if (b == '\\') {
                pos++;
                int e = peek();
                if (e < 0) {
                    throw error("unterminated string");
                }
                pos++;
                switch (e) {
                    case '"': case '\\': case '/':
                        append(sb, (char) e);
                        break;
                    case 'b': append(sb, '\b'); break;
                    case 'f': append(sb, '\f'); break;
                    case 'n': append(sb, '\n'); break;
                    case 'r': append(sb, '\r'); break;
                    case 't': append(sb, '\t'); break;
                    case 'u':
                        append(sb, (char) hex4());
                        break;
                    default:
                        throw error("bad escape");
                }
            } else if (b < 0x80) {
                append(sb, (char) b);
                pos++;
            } else {
                int len = utf8Length(b);
                if (pos + len > in.length) {
                    throw error("truncated UTF-8");
                }
                for (int i = 1; i < len; i++) {
                    if ((in[pos + i] & 0xc0) != 0x80) {
                        throw error("invalid UTF-8");
                    }
                }
                if (sb != null) {
                    sb.append(new String(in, pos, len, StandardCharsets.UTF_8));
                }
                pos += len;
            }
        }
        out.write(in, start, pos - start);
        return sb == null ? null : sb.toString();
    }

    private static int utf8Length(int lead) throws IOException {
        if (lead >= 0xc2 && lead <= 0xdf) {
            return 2;
        }
        if (lead >= 0xe0 && lead <= 0xef) {
            return 3;
        }
        if (lead >= 0xf0 && lead <= 0xf4) {
            return 4;
        }
        throw new IOException("invalid UTF-8 lead byte");
    }

    private int hex4() throws IOException {
        if (pos + 4 > in.length) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in[pos++], 16);
            if (d < 0) {
                throw error("bad \\u escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private void number() throws IOException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("bad number");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("bad number");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("bad number");
            }
            digits();
        }
        out.write(in, start, pos - start);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    private void literal(String word) throws IOException {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= in.length || in[pos + i] != word.charAt(i)) {
                throw error("bad literal");
            }
        }
        out.write(in, pos, word.length());
        pos += word.length();
    }

    private void skipSpace() {
        while (pos < in.length) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private void skipBom() {
        if (in.length >= 3 && (in[0] & 0xff) == 0xef && (in[1] & 0xff) == 0xbb && (in[2] & 0xff) == 0xbf) {
            pos = 3;
        }
    }

    /** The byte at the cursor, or -1 at the end. */
    private int peek() {
        return pos < in.length ? in[pos] : -1;
    }

    private static void append(StringBuilder sb, char c) {
        if (sb != null) {
            sb.append(c);
        }
    }

    private IOException error(String what) {
        return new IOException(what + " at byte " + pos);
    }
}
