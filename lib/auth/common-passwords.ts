/**
 * The most common passwords of public breach corpora (lower-cased), plus
 * words that make up most of the rest. A password equal to one of these, or
 * one of these dressed up with digits and symbols ("Password2024!"), is
 * refused. Small on purpose: the length minimum does most of the work; this
 * stops the guesses attackers try first.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "123456", "password", "12345678", "qwerty", "123456789", "12345", "1234", "111111", "1234567",
  "dragon", "123123", "baseball", "abc123", "football", "monkey", "letmein", "696969", "shadow",
  "master", "666666", "qwertyuiop", "123321", "mustang", "1234567890", "michael", "654321",
  "superman", "1qaz2wsx", "7777777", "121212", "000000", "qazwsx", "123qwe", "killer", "trustno1",
  "jordan", "jennifer", "zxcvbnm", "asdfgh", "hunter", "buster", "soccer", "harley", "batman",
  "andrew", "tigger", "sunshine", "iloveyou", "2000", "charlie", "robert", "thomas", "hockey",
  "ranger", "daniel", "starwars", "klaster", "112233", "george", "computer", "michelle", "jessica",
  "pepper", "1111", "zxcvbn", "555555", "11111111", "131313", "freedom", "777777", "pass", "maggie",
  "159753", "aaaaaa", "ginger", "princess", "joshua", "cheese", "amanda", "summer", "love", "ashley",
  "nicole", "chelsea", "biteme", "matthew", "access", "yankees", "987654321", "dallas", "austin",
  "thunder", "taylor", "matrix", "mobilemail", "mom", "monitor", "monitoring", "montana", "moon",
  "moscow", "passw0rd", "password1", "password123", "welcome", "welcome1", "admin", "administrator",
  "root", "toor", "changeme", "changeit", "default", "guest", "login", "secret", "letmein1",
  "qwerty123", "qwertyui", "asdfghjkl", "zaq12wsx", "q1w2e3r4", "q1w2e3r4t5", "1q2w3e4r",
  "1q2w3e4r5t", "abcd1234", "abcdef", "abcdefg", "abcdefgh", "football1", "baseball1", "iloveyou1",
  "princess1", "sunshine1", "monkey1", "dragon1", "master1", "shadow1", "whatever", "trustme",
  "hello", "hello123", "helloworld", "test", "test123", "testing", "demo", "sample", "example",
  "samsung", "apple", "google", "microsoft", "linkedin", "facebook", "twitter", "company", "corporate",
  "spring", "autumn", "winter", "season", "january", "february", "march", "april", "june", "july",
  "august", "september", "october", "november", "december", "monday", "friday", "sunday",
  "correcthorsebatterystaple", "correcthorse", "batterystaple", "opensesame", "letmeinnow",
  "modelgate", "secure", "security", "p@ssw0rd", "p@ssword", "passphrase", "mypassword", "mysecret",
]);

/** Rows and runs people walk along on a keyboard or in the alphabet. */
export const SEQUENCES = [
  "abcdefghijklmnopqrstuvwxyz",
  "zyxwvutsrqponmlkjihgfedcba",
  "01234567890",
  "09876543210",
  "qwertyuiop",
  "poiuytrewq",
  "asdfghjkl",
  "lkjhgfdsa",
  "zxcvbnm",
  "mnbvcxz",
  "1qaz2wsx3edc4rfv",
  "qazwsxedcrfv",
];
