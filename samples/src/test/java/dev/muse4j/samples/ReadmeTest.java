package dev.muse4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Twenty lines" program compiles and runs as printed, on the poet a reader gets from Maven. */
class ReadmeTest {
  private static String twentyLines() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Twenty lines");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  @Test
  void theTwentyLinesRunAsPrintedOnTheEmbeddedPoet(@TempDir Path dir) throws Exception {
    String source = twentyLines();
    assertThat(source).contains("classpath:dev/muse4j/models/poet");
    Files.writeString(dir.resolve("Poet.java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled = javac.run(null, null, null, "-proc:none", "-d", dir.toString(), "-cp",
        System.getProperty("java.class.path"), dir.resolve("Poet.java").toString());
    assertThat(compiled).isZero();

    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        ReadmeTest.class.getClassLoader())) {
      Method main = loader.loadClass("Poet").getMethod("main", String[].class);
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(original);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).strip().lines().toList();
    original.println(String.join(File.separator.equals("/") ? "\n" : "\r\n", lines));
    // A quatrain after the opening 春: four lines of Chinese characters, then the finish reason and the usage.
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).hasSizeGreaterThan(4).matches("\\p{IsHan}+\\p{Punct}?.*");
    assertThat(lines.get(lines.size() - 1)).startsWith("[STOP, ");
  }
}
