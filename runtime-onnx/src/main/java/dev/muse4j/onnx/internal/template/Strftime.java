package dev.muse4j.onnx.internal.template;

import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Python's {@code datetime.strftime} in the C locale, with glibc's {@code %-d} style no-padding flag. */
final class Strftime {
  private Strftime() {
  }

  static String format(ZonedDateTime time, String format) {
    LocalDateTime t = time.toLocalDateTime();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 >= format.length()) {
        b.append(c);
        continue;
      }
      char d = format.charAt(++i);
      boolean noPad = false;
      if ((d == '-') && i + 1 < format.length()) {
        noPad = true;
        d = format.charAt(++i);
      }
      int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
      switch (d) {
        case 'Y':
          b.append(t.getYear());
          break;
        case 'y':
          b.append(pad(t.getYear() % 100, 2, noPad));
          break;
        case 'm':
          b.append(pad(t.getMonthValue(), 2, noPad));
          break;
        case 'd':
          b.append(pad(t.getDayOfMonth(), 2, noPad));
          break;
        case 'e':
          b.append(noPad ? String.valueOf(t.getDayOfMonth()) : String.format("%2d", t.getDayOfMonth()));
          break;
        case 'H':
          b.append(pad(t.getHour(), 2, noPad));
          break;
        case 'I':
          b.append(pad(hour12, 2, noPad));
          break;
        case 'M':
          b.append(pad(t.getMinute(), 2, noPad));
          break;
        case 'S':
          b.append(pad(t.getSecond(), 2, noPad));
          break;
        case 'f':
          b.append(String.format("%06d", t.getNano() / 1000));
          break;
        case 'j':
          b.append(pad(t.getDayOfYear(), 3, noPad));
          break;
        case 'p':
          b.append(t.getHour() < 12 ? "AM" : "PM");
          break;
        case 'B':
          b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
          break;
        case 'b':
        case 'h':
          b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
          break;
        case 'A':
          b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
          break;
        case 'a':
          b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
          break;
        case 'w':
          b.append(t.getDayOfWeek().getValue() % 7);
          break;
        case 'u':
          b.append(t.getDayOfWeek().getValue());
          break;
        case 'F':
          b.append(format(time, "%Y-%m-%d"));
          break;
        case 'T':
          b.append(format(time, "%H:%M:%S"));
          break;
        case 'D':
          b.append(format(time, "%m/%d/%y"));
          break;
        case 'R':
          b.append(format(time, "%H:%M"));
          break;
        case 'c':
          b.append(format(time, "%a %b %e %H:%M:%S %Y"));
          break;
        case 'x':
          b.append(format(time, "%m/%d/%y"));
          break;
        case 'X':
          b.append(format(time, "%H:%M:%S"));
          break;
        case 'z': {
          int seconds = time.getOffset().getTotalSeconds();
          int abs = Math.abs(seconds);
          b.append(seconds < 0 ? '-' : '+').append(String.format("%02d%02d", abs / 3600, abs / 60 % 60));
          break;
        }
        case 'Z':
          b.append(time.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
          break;
        case 'n':
          b.append('\n');
          break;
        case 't':
          b.append('\t');
          break;
        case '%':
          b.append('%');
          break;
        default:
          b.append('%').append(noPad ? "-" : "").append(d);
      }
    }
    return b.toString();
  }

  private static String pad(int value, int width, boolean noPad) {
    String s = String.valueOf(value);
    return noPad || s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }
}
