package dev.batchwise.openai;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * What Hugging Face's chat templating adds to Jinja2, for jinjava: the {@code raise_exception} and
 * {@code strftime_now} functions, the {@code tojson} filter with Python's {@code json.dumps} output,
 * {@code trim} as Python's {@code str.strip}, and the {@code {% generation %}} block (which marks
 * the assistant's text for training and renders its body unchanged).
 *
 * <p>The functions are static (jinjava calls them by reflection); what they need of the render under
 * way (the time for {@code strftime_now}, and the message {@code raise_exception} was called with)
 * lives in a per-thread {@link Render}, set by {@link ChatTemplate} around each render.
 */
final class JinjaExtensions {

    /** The state of the render running on this thread. */
    static final class Render {
        final ZonedDateTime now;
        String raised;
        String unsupported;

        Render(ZonedDateTime now) {
            this.now = now;
        }
    }

    static final ThreadLocal<Render> CURRENT = new ThreadLocal<>();

    private JinjaExtensions() {}

    /** {@code raise_exception(message)}: fails the render with the template's own message. */
    public static Object raiseException(Object message) {
        Render r = CURRENT.get();
        String m = String.valueOf(message);
        if (r != null && r.raised == null) {
            r.raised = m;
        }
        throw new IllegalStateException(m);
    }

    /** {@code strftime_now(format)}: the render's time, formatted as Python's {@code strftime} does. */
    public static String strftimeNow(String format) {
        Render r = CURRENT.get();
        try {
            return Strftime.format(r.now, format);
        } catch (IllegalArgumentException e) {
            if (r.unsupported == null) {
                r.unsupported = e.getMessage();
            }
            throw e;
        }
    }

    /** Python's {@code json.dumps(x, ensure_ascii=False, indent=..., separators=..., sort_keys=...)}. */
    static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.containsKey("indent") ? kwargs.get("indent") : args.length > 1 ? args[1] : null;
            Object separators = kwargs.get("separators");
            Object sortKeys = kwargs.get("sort_keys");
            String item = null;
            String key = null;
            if (separators instanceof java.util.List<?> l && l.size() == 2) {
                item = String.valueOf(l.get(0));
                key = String.valueOf(l.get(1));
            }
            return PythonJson.dumps(var, indent == null ? null : ((Number) indent).intValue(), item, key,
                    Boolean.TRUE.equals(sortKeys));
        }
    }

    /** Jinja2's {@code trim}: Python's {@code str.strip()}, or of the given characters. */
    static final class Trim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length > 0 ? args[0] : null;
            return var == null ? "" : PythonStrings.strip(String.valueOf(var), chars, true, true);
        }
    }

    /** {@code {% generation %}...{% endgeneration %}}: renders its body. */
    static final class Generation implements Tag {
        private static final long serialVersionUID = 1L;

        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String getEndTagName() {
            return "endgeneration";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder b = new StringBuilder();
            for (Node child : tagNode.getChildren()) {
                b.append(child.render(interpreter).getValue());
            }
            return b.toString();
        }
    }
}
