package dev.muse4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muse4j.Audio;
import dev.muse4j.Backend;
import dev.muse4j.BackendConfig;
import dev.muse4j.ChatMessage;
import dev.muse4j.Image;
import dev.muse4j.ImageRequest;
import dev.muse4j.InvalidRequestException;
import dev.muse4j.Midi;
import dev.muse4j.ModelOptions;
import dev.muse4j.Muse4j;
import dev.muse4j.MusicRequest;
import dev.muse4j.SamplingConfig;
import dev.muse4j.StyleRequest;
import dev.muse4j.TextRequest;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The convention for null arguments, checked on every public method of the API package: a null where the signature
 * does not say {@code @Nullable} raises {@link InvalidRequestException} naming the argument, before any work is done
 * — never a {@link NullPointerException} from inside.
 */
class NullArgumentsTest {

  @Test
  void theDocumentedEntryPointsNameTheNullArgument() {
    assertThatThrownBy(() -> Muse4j.backend((String) null)).isInstanceOf(InvalidRequestException.class)
        .hasMessage("name must not be null; give a backend name, for example \"onnx\" or \"openai\".");
    assertThatThrownBy(() -> Muse4j.backend((Properties) null)).isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("properties must not be null");
    try (Backend backend = everything()) {
      assertThatThrownBy(() -> backend.text(null)).isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("model must not be null");
      assertThatThrownBy(() -> backend.text("m").generate((TextRequest) null)).isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("request must not be null");
      assertThatThrownBy(() -> backend.text("m").stream((TextRequest) null)).isInstanceOf(InvalidRequestException.class)
          .hasMessageStartingWith("request must not be null");
      // Asynchronous methods report every invalid request through the future, a null one included.
      assertThat(backend.text("m").generateAsync((TextRequest) null)).failsWithin(Duration.ZERO)
          .withThrowableThat().havingCause().isInstanceOf(InvalidRequestException.class)
          .withMessageStartingWith("request must not be null");
    }
  }

  @Test
  void everyPublicMethodOfTheApiPackageRejectsANullItDoesNotDeclareNullable() throws Exception {
    List<String> violations = new ArrayList<>();
    int checked = 0;
    try (Backend backend = everything()) {
      List<Object> subjects = new ArrayList<>(List.of(backend, backend.text("m"), backend.image("m"),
          backend.music("m"), backend.style("m"), TextRequest.of("x"), ImageRequest.of("x"), MusicRequest.of("x", Duration.ofSeconds(1)),
          StyleRequest.of(picture()), SamplingConfig.defaults(), ModelOptions.defaults(), BackendConfig.empty(),
          dev.muse4j.Abc.parse("K:C\nC"), dev.muse4j.MidiRenderer.defaults()));
      for (Class<?> type : apiClasses()) {
        for (Method m : type.getMethods()) {
          if (Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() == type
              && !(type.isEnum() && m.getName().equals("valueOf"))) {
            checked += probe(null, m, violations);
            if (m.getName().equals("builder")) {
              Object builder = invoke(null, m, sample(m.getParameterTypes()));
              if (builder != null) {
                subjects.add(builder);
              }
            }
          }
        }
      }
      for (Object subject : subjects) {
        for (Method m : subject.getClass().getMethods()) {
          if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class
              && !m.getName().equals("equals")) {
            m.setAccessible(true);
            checked += probe(subject, m, violations);
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(60);
    assertThat(String.join("\n", violations)).isEmpty();
  }

  /** Calls {@code m} once per non-nullable reference parameter, with null there and samples elsewhere. */
  private static int probe(@Nullable Object target, Method m, List<String> violations) {
    Class<?>[] types = m.getParameterTypes();
    AnnotatedType[] annotated = m.getAnnotatedParameterTypes();
    int probes = 0;
    for (int i = 0; i < types.length; i++) {
      if (types[i].isPrimitive() || annotated[i].isAnnotationPresent(Nullable.class)) {
        continue;
      }
      Object[] args = sample(types);
      args[i] = null;
      probes++;
      try {
        Object result = m.invoke(target, args);
        if (result instanceof CompletableFuture<?> future && future.isCompletedExceptionally()) {
          try {
            future.join();
          } catch (CompletionException e) {
            if (e.getCause() instanceof InvalidRequestException) {
              continue;
            }
          }
        }
        violations.add(m + " accepted null for parameter " + i);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (!(cause instanceof InvalidRequestException)) {
          violations.add(m + " threw " + cause + " for a null parameter " + i);
        }
      } catch (ReflectiveOperationException e) {
        violations.add(m + ": " + e);
      }
    }
    return probes;
  }

  private static @Nullable Object invoke(@Nullable Object target, Method m, Object[] args) {
    try {
      return m.invoke(target, args);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static Object[] sample(Class<?>[] types) {
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = sample(types[i]);
    }
    return args;
  }

  private static @Nullable Object sample(Class<?> type) {
    if (type == String.class) {
      return "x";
    } else if (type == int.class) {
      return 1;
    } else if (type == long.class) {
      return 1L;
    } else if (type == double.class) {
      return 0.5;
    } else if (type == float.class) {
      return 0.5f;
    } else if (type == boolean.class) {
      return false;
    } else if (type == Duration.class) {
      return Duration.ofSeconds(1);
    } else if (type == Image.class) {
      return picture();
    } else if (type == SamplingConfig.class) {
      return SamplingConfig.defaults();
    } else if (type == ModelOptions.class) {
      return ModelOptions.defaults();
    } else if (type == BackendConfig.class) {
      return BackendConfig.empty();
    } else if (type == TextRequest.class) {
      return TextRequest.of("x");
    } else if (type == ChatMessage.class) {
      return ChatMessage.user("x");
    } else if (type == List.class) {
      return List.of();
    } else if (type == String[].class) {
      return new String[] {"x"};
    } else if (type == byte[].class) {
      return new byte[] {1};
    }
    return null;
  }

  private static Image picture() {
    return CoreFakes.picture(2, 2);
  }

  private static Backend everything() {
    return CoreFakes.backend(dev.muse4j.spi.EngineSet.builder()
        .text((model, options) -> new CoreFakes.FakeTextEngine("a"))
        .image((model, options) -> new CoreFakes.FakeImageEngine(1))
        .style((model, options) -> new CoreFakes.FakeStyleEngine(1))
        .music((model, options) -> new CoreFakes.FakeMusicEngine(1)).build());
  }

  /** The public classes of dev.muse4j, from the compiled output. */
  private static List<Class<?>> apiClasses() throws URISyntaxException, ReflectiveOperationException,
      java.io.IOException {
    Path dir = Path.of(Muse4j.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("dev")
        .resolve("muse4j");
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".class") && !name.equals("package-info.class") && !name.equals("module-info.class")) {
          Class<?> c = Class.forName("dev.muse4j." + name.substring(0, name.length() - ".class".length()));
          if (Modifier.isPublic(c.getModifiers())) {
            classes.add(c);
          }
        }
      }
    }
    assertThat(classes).contains(Audio.class, Midi.class);
    return classes;
  }
}
