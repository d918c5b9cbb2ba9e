package dev.muse4j.onnx.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/**
 * Describes why a JSON file could not be read, for messages: Jackson's own message without its internal source
 * description ("[Source: REDACTED ...]"), plus the line and column. Stateless.
 */
public final class JsonErrors {
  private JsonErrors() {}

  /**
   * One line saying what is wrong and where.
   *
   * @param e what reading the file raised
   * @return for example {@code "Unexpected character ('}' (code 125)): was expecting double-quote to start field
   *     name, at line 3, column 2"}
   */
  public static String describe(IOException e) {
    if (e instanceof JsonProcessingException) {
      JsonProcessingException j = (JsonProcessingException) e;
      String what = firstLine(j.getOriginalMessage());
      JsonLocation where = j.getLocation();
      if (where != null && where.getLineNr() > 0) {
        return what + ", at line " + where.getLineNr() + ", column " + where.getColumnNr();
      }
      return what;
    }
    return firstLine(e.getMessage());
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "unreadable";
    }
    int cut = message.indexOf('\n');
    String line = (cut < 0 ? message : message.substring(0, cut)).strip();
    int source = line.indexOf(" [Source:");
    return source < 0 ? line : line.substring(0, source);
  }
}
