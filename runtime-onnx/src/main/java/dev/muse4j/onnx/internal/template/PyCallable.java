package dev.muse4j.onnx.internal.template;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Anything a template can call: a global function, a bound string/dict/list method, a macro. */
@FunctionalInterface
interface PyCallable {
  @Nullable Object call(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs);
}
