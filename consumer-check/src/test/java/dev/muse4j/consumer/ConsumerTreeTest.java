package dev.muse4j.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A project that imports only muse4j-bom gets the versions the Muse4j build tests with: every library on this
 * module's class path that the root pom manages has the root pom's version (Jackson's modules all at the version of
 * its BOM there).
 */
class ConsumerTreeTest {
  private static final Pattern MANAGED = Pattern.compile("<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)"
      + "</artifactId>\\s*<version>([^<]+)</version>");
  private static final Pattern PROPERTY = Pattern.compile("<([a-zA-Z0-9.]+)>([^<$]+)</\\1>");

  /** groupId:artifactId (or groupId:* for an imported BOM's group) to the version the build manages. */
  private static Map<String, String> buildVersions() throws IOException {
    String pom = Files.readString(Path.of(System.getProperty("muse4j.build.pom")));
    Map<String, String> properties = new HashMap<>();
    Matcher p = PROPERTY.matcher(pom.substring(pom.indexOf("<properties>"), pom.indexOf("</properties>")));
    while (p.find()) {
      properties.put(p.group(1), p.group(2).trim());
    }
    String managed = pom.substring(pom.indexOf("<dependencyManagement>"), pom.indexOf("</dependencyManagement>"));
    Map<String, String> versions = new TreeMap<>();
    Matcher m = MANAGED.matcher(managed);
    while (m.find()) {
      String version = m.group(3).trim();
      if (version.startsWith("${")) {
        version = properties.get(version.substring(2, version.length() - 1));
      }
      if (m.group(1).startsWith("dev.muse4j") || version == null) {
        continue;
      }
      if (m.group(2).equals("jackson-bom")) {
        versions.put("com.fasterxml.jackson.*", version);
      } else if (!m.group(2).endsWith("-bom")) {
        versions.put(m.group(1) + ":" + m.group(2), version);
      }
    }
    return versions;
  }

  /**
   * groupId:artifactId to version of every jar on the class path that comes from the local Maven repository, read
   * from its path there ({@code <group path>/<artifactId>/<version>/<file>.jar}).
   */
  private static Map<String, String> classPath() {
    Path repository = Path.of(System.getProperty("maven.repo.local",
        Path.of(System.getProperty("user.home"), ".m2", "repository").toString())).toAbsolutePath().normalize();
    Map<String, String> found = new TreeMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path jar = Path.of(entry).toAbsolutePath().normalize();
      if (!entry.endsWith(".jar") || !jar.startsWith(repository)) {
        continue;
      }
      Path relative = repository.relativize(jar);
      int n = relative.getNameCount();
      String version = relative.getName(n - 2).toString();
      String artifact = relative.getName(n - 3).toString();
      String group = relative.subpath(0, n - 3).toString().replace(File.separatorChar, '.');
      found.put(group + ":" + artifact, version);
    }
    return found;
  }

  /** Jackson versions its annotations by major and minor only ("2.22" beside "2.22.4"), in its own BOM too. */
  private static boolean sameVersion(String key, String expected, String actual) {
    if (key.equals("com.fasterxml.jackson.core:jackson-annotations")) {
      return expected.startsWith(actual + ".") || expected.equals(actual);
    }
    return expected.equals(actual);
  }

  @Test
  void everyManagedLibraryHasTheVersionTheBuildTests() throws IOException {
    Map<String, String> build = buildVersions();
    Map<String, String> consumer = classPath();
    assertTrue(consumer.containsKey("com.fasterxml.jackson.core:jackson-databind"), consumer.toString());
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (Map.Entry<String, String> c : consumer.entrySet()) {
      String group = c.getKey().substring(0, c.getKey().indexOf(':'));
      String expected = build.get(c.getKey());
      if (expected == null && group.startsWith("com.fasterxml.jackson")) {
        expected = build.get("com.fasterxml.jackson.*");
      }
      if (expected != null) {
        compared++;
        if (!sameVersion(c.getKey(), expected, c.getValue())) {
          mismatches.add(c.getKey() + " is " + c.getValue() + " for a consumer but " + expected + " in the build");
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertTrue(compared >= 8, "compared only " + compared + " of " + consumer);
  }
}
