// Angular components.
import { Component, Injectable, OnDestroy, OnInit } from "@angular/core";

@Component({ selector: "app-clock", template: "{{ now }}" })
export class ClockComponent implements OnInit, OnDestroy {
  now = Date.now();
  private timer?: ReturnType<typeof setInterval>;

  ngOnInit(): void {
    this.timer = setInterval(() => (this.now = Date.now()), 1000); // ok: uncleared-timer
  }

  ngOnDestroy(): void {
    clearInterval(this.timer);
  }
}

@Component({ selector: "app-feed", template: "{{ items.length }}" })
export class FeedComponent implements OnInit {
  items: string[] = [];
  private refresh!: number;

  ngOnInit(): void {
    this.refresh = window.setInterval(() => this.load(), 10000); // expect: uncleared-timer "`this.refresh`"
  }

  load(): void {}
}

@Component({ selector: "app-status", template: "" })
export class StatusComponent implements OnInit {
  ngOnInit(): void {
    // expect: uncleared-timer "every call of method `StatusComponent.ngOnInit`"
    setInterval(() => console.log("alive"), 1000);
  }
}

// Root services are created once by the injector.
@Injectable({ providedIn: "root" })
export class ClockService {
  constructor() {
    setInterval(() => console.log(Date.now()), 1000); // ok: uncleared-timer -- one instance per app
  }
}

// A component is created and destroyed many times.
@Component({ selector: "app-ticker", template: "" })
export class TickerComponent {
  constructor() {
    setInterval(() => console.log("tick"), 1000); // expect: uncleared-timer "every `new TickerComponent()`"
  }
}
