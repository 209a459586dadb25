import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy";

describe("password policy", () => {
  it.each([
    ["short1!", "Use at least 12 characters"],
    ["x".repeat(257), "Use at most 256 characters"],
    ["password1234", /too common/],
    ["Password2024!", /too common/],
    ["P@ssw0rd!!!!", /too common/],
    ["!!Sunshine2025", /too common/],
    ["qwertyuiop123", /too common/],
    ["aaaaaaaaaaaaaa", /repeated characters/],
    ["abcabcabcabc", /repeated characters/],
    ["abcdefghijklm", /sequences/],
    ["1234567890123", /sequences/],
  ])("refuses %j", (password, message) => {
    expect(passwordProblem(password)).toMatch(message);
  });

  it("refuses the email's local part and the user's name", () => {
    expect(passwordProblem("ada.lovelace-1815!", { email: "ada.lovelace@example.com" })).toBe("Don't use your email address in your password");
    expect(passwordProblem("Lovelace!Engine9", { email: "a@example.com", name: "Ada Lovelace" })).toBe("Don't use your name in your password");
  });

  it.each(["correct horse battery", "tangerine-orbit-47-glacier", "V9#kq2!Lm0pz", "x".repeat(11) + "yZ9!" + "w".repeat(200)])(
    "accepts %j",
    (password) => {
      expect(passwordProblem(password, { email: "someone@example.com", name: "Some One" })).toBeNull();
    },
  );

  it("accepts passwords of 64 characters and more", () => {
    expect(passwordProblem("a long passphrase that keeps going and going, past sixty-four chars")).toBeNull();
  });
});
