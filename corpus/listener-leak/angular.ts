// Angular components and services.
import { Component, Injectable, OnDestroy, OnInit } from "@angular/core";

@Component({ selector: "app-menu", template: "<nav></nav>" })
export class MenuComponent implements OnInit, OnDestroy {
  private open = false;
  private readonly onDocumentClick = (): void => {
    this.open = false;
  };

  ngOnInit(): void {
    document.addEventListener("click", this.onDocumentClick); // ok: listener-leak -- removed in ngOnDestroy
    window.addEventListener("blur", this.onBlur.bind(this)); // expect: listener-leak "every call of method `MenuComponent.ngOnInit`"
  }

  ngOnDestroy(): void {
    document.removeEventListener("click", this.onDocumentClick);
    window.removeEventListener("blur", this.onBlur.bind(this)); // expect: listener-leak "is passed a new function"
  }

  private onBlur(): void {
    this.open = false;
  }
}

@Injectable({ providedIn: "root" })
export class VisibilityService {
  watch(callback: (hidden: boolean) => void): () => void {
    const handler = (): void => callback(document.hidden);
    document.addEventListener("visibilitychange", handler); // ok: listener-leak -- the disposer removes it
    return () => document.removeEventListener("visibilitychange", handler);
  }

  watchForever(callback: (hidden: boolean) => void): void {
    document.addEventListener("visibilitychange", () => callback(document.hidden)); // expect: listener-leak
  }
}
