package dev.muse4j.apidump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a module's public API as sorted text, one public type and its public (and, for extensible types, protected)
 * members per block, so that any API change shows up as a diff of the module's {@code api/<artifact>.api} file.
 * Packages named {@code internal} are not API and are left out.
 *
 * <p>To accept a deliberate change, run the module's tests with {@code -Dmuse4j.api.update=true} and commit the
 * rewritten file with the change.
 */
public final class ApiSignatures {
  /** The system property that rewrites the dump instead of comparing. */
  public static final String UPDATE_PROPERTY = "muse4j.api.update";

  private ApiSignatures() {}

  /** Dumps every public type compiled into {@code classesDir}, loaded through this class's loader. */
  public static String dump(Path classesDir) {
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classesDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().collect(Collectors.toList())) {
        String name = classesDir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
        name = name.substring(0, name.length() - ".class".length());
        if (name.endsWith("package-info") || name.endsWith("module-info")) {
          continue;
        }
        types.add(Class.forName(name, false, ApiSignatures.class.getClassLoader()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Compiled class not loadable: " + e.getMessage(), e);
    }
    return dump(types);
  }

  /** Dumps the public API among {@code types}. */
  public static String dump(Collection<Class<?>> types) {
    StringBuilder sb = new StringBuilder();
    types.stream().filter(ApiSignatures::isApi).sorted(Comparator.comparing(Class::getName)).forEach(type -> {
      sb.append(header(type)).append('\n');
      for (String member : members(type)) {
        sb.append("  ").append(member).append('\n');
      }
      sb.append('\n');
    });
    return sb.toString();
  }

  private static boolean isApi(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()
        || type.getPackageName().matches("(.*\\.)?internal(\\..*)?")) {
      return false;
    }
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static String header(Class<?> type) {
    StringBuilder sb = new StringBuilder(type.toGenericString());
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !type.isEnum()) {
      sb.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0) {
      sb.append(type.isInterface() ? " extends " : " implements ");
      sb.append(Stream.of(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    return sb.toString();
  }

  private static Set<String> members(Class<?> type) {
    boolean extensible = !Modifier.isFinal(type.getModifiers()) && !type.isEnum();
    List<Member> members = new ArrayList<>();
    members.addAll(List.of(type.getDeclaredConstructors()));
    members.addAll(List.of(type.getDeclaredMethods()));
    members.addAll(List.of(type.getDeclaredFields()));
    return members.stream()
        .filter(m -> !m.isSynthetic() && !(m instanceof Method && ((Method) m).isBridge()))
        .filter(m -> Modifier.isPublic(m.getModifiers()) || (extensible && Modifier.isProtected(m.getModifiers())))
        .map(ApiSignatures::describe)
        .sorted()
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static String describe(Member m) {
    if (m instanceof Method) {
      return ((Method) m).toGenericString();
    }
    if (m instanceof Constructor) {
      return ((Constructor<?>) m).toGenericString();
    }
    return ((Field) m).toGenericString();
  }

  /**
   * Compares {@code actual} with the dump file, or rewrites the file when {@value #UPDATE_PROPERTY} is true.
   *
   * @throws AssertionError listing every added and removed line, and how to accept the change
   */
  public static void assertMatches(Path dumpFile, String actual) {
    assertMatches(dumpFile, actual, Boolean.getBoolean(UPDATE_PROPERTY));
  }

  /** Compares {@code actual} with the dump file, or rewrites the file when {@code update} is true. */
  public static void assertMatches(Path dumpFile, String actual, boolean update) {
    try {
      if (update) {
        Files.createDirectories(dumpFile.toAbsolutePath().getParent());
        Files.writeString(dumpFile, actual, StandardCharsets.UTF_8);
        return;
      }
      String expected = Files.exists(dumpFile) ? Files.readString(dumpFile, StandardCharsets.UTF_8) : "";
      if (expected.equals(actual)) {
        return;
      }
      List<String> was = expected.lines().collect(Collectors.toList());
      List<String> now = actual.lines().collect(Collectors.toList());
      StringBuilder diff = new StringBuilder("The public API differs from " + dumpFile + ":\n");
      now.stream().filter(l -> !l.isBlank() && !was.contains(l)).forEach(l -> diff.append("+ ").append(l.trim())
          .append('\n'));
      was.stream().filter(l -> !l.isBlank() && !now.contains(l)).forEach(l -> diff.append("- ").append(l.trim())
          .append('\n'));
      diff.append("If the change is deliberate, rerun the tests with -D").append(UPDATE_PROPERTY)
          .append("=true and commit the updated dump with it.");
      throw new AssertionError(diff.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
